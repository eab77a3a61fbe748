; Inno Setup script: a per-user installer for the PyInstaller folder (dist\Watchkeeper).
; Build with installer\build.ps1, which runs PyInstaller first and then ISCC on this file.
#define AppVersion GetEnv("WATCHKEEPER_VERSION")

[Setup]
AppId={{6E4A6C1E-8A57-4F0B-9B7E-5C2B8E9A1D41}
AppName=Watchkeeper
AppVersion={#AppVersion}
AppPublisher=Watchkeeper
DefaultDirName={localappdata}\Programs\Watchkeeper
DefaultGroupName=Watchkeeper
PrivilegesRequired=lowest
OutputDir=..\dist
OutputBaseFilename=Watchkeeper-{#AppVersion}-setup
Compression=lzma2
SolidCompression=yes
ArchitecturesInstallIn64BitMode=x64compatible

[Files]
Source: "..\dist\Watchkeeper\*"; DestDir: "{app}"; Flags: recursesubdirs ignoreversion

[Icons]
Name: "{group}\Watchkeeper"; Filename: "{app}\Watchkeeper.exe"
Name: "{group}\Watchkeeper demo"; Filename: "{app}\Watchkeeper.exe"; Parameters: "--demo"
Name: "{autodesktop}\Watchkeeper"; Filename: "{app}\Watchkeeper.exe"; Tasks: desktopicon

[Tasks]
Name: "desktopicon"; Description: "Create a desktop icon"; Flags: unchecked

[Run]
Filename: "{app}\Watchkeeper.exe"; Description: "Start Watchkeeper"; Flags: nowait postinstall skipifsilent
