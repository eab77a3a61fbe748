; Inno Setup script: a per-user installer for the PyInstaller folder (dist\Watchkeeper).
; Build with installer\build.ps1, which runs PyInstaller first and then ISCC on this file.
; Needs Inno Setup 6.3 or newer (the x64compatible architecture identifier came with 6.3).
#if Ver < EncodeVer(6, 3, 0)
  #error Inno Setup 6.3 or newer is needed to build Watchkeeper's installer
#endif
#define AppVersion GetEnv("WATCHKEEPER_VERSION")
#if AppVersion == ""
  #error WATCHKEEPER_VERSION is not set: build with installer\build.ps1
#endif

[Setup]
AppId={{6E4A6C1E-8A57-4F0B-9B7E-5C2B8E9A1D41}
AppName=Watchkeeper
AppVersion={#AppVersion}
AppPublisher=Watchkeeper
DefaultDirName={localappdata}\Programs\Watchkeeper
DefaultGroupName=Watchkeeper
DisableProgramGroupPage=yes
PrivilegesRequired=lowest
OutputDir=..\dist
OutputBaseFilename=Watchkeeper-{#AppVersion}-setup
Compression=lzma2
SolidCompression=yes
; 64-bit Windows only (TensorFlow has no 32-bit build): a 32-bit Windows is refused with a message.
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
; Windows 10 1809 or newer: what Qt 6 and Python 3.11+ support.
MinVersion=10.0.17763
SetupIconFile=..\resources\icons\watchkeeper.ico
UninstallDisplayIcon={app}\Watchkeeper.exe
UninstallDisplayName=Watchkeeper
; The PATH option changes the user's environment; Explorer and new consoles must hear of it.
ChangesEnvironment=yes
; A running Watchkeeper holds its files: ask to close it before replacing them.
CloseApplications=yes

[InstallDelete]
; An upgrade replaces the bundle whole: files of the old version's libraries must not linger.
Type: filesandordirs; Name: "{app}\_internal"

[Files]
Source: "..\dist\Watchkeeper\*"; DestDir: "{app}"; Flags: recursesubdirs ignoreversion

[Tasks]
Name: "desktopicon"; Description: "Create a desktop icon"; Flags: unchecked
Name: "addtopath"; Description: "Add watchkeeper-cli to the PATH (for the command line)"; Flags: unchecked
Name: "autostart"; Description: "Start Watchkeeper at logon and resume recording (for a plant PC that restarts for updates)"; Flags: unchecked

[Icons]
Name: "{group}\Watchkeeper"; Filename: "{app}\Watchkeeper.exe"
Name: "{group}\Watchkeeper demo"; Filename: "{app}\Watchkeeper.exe"; Parameters: "--demo"
Name: "{group}\Watchkeeper command line"; Filename: "{cmd}"; Parameters: "/k """"{app}\watchkeeper-cli.exe"" --help"""; WorkingDir: "{userdocs}"; IconFilename: "{app}\watchkeeper-cli.exe"
Name: "{autodesktop}\Watchkeeper"; Filename: "{app}\Watchkeeper.exe"; Tasks: desktopicon

[Registry]
Root: HKCU; Subkey: "Environment"; ValueType: expandsz; ValueName: "Path"; ValueData: "{olddata};{app}"; Tasks: addtopath; Check: NotOnPath(ExpandConstant('{app}'))

[Run]
; The same logon task as the window's Options > Start recording at logon (watchkeeper autostart on).
Filename: "{app}\watchkeeper-cli.exe"; Parameters: "autostart on"; Flags: runhidden waituntilterminated; Tasks: autostart; StatusMsg: "Adding the logon task..."
Filename: "{app}\Watchkeeper.exe"; Description: "Start Watchkeeper"; Flags: nowait postinstall skipifsilent

[UninstallRun]
Filename: "{app}\watchkeeper-cli.exe"; Parameters: "autostart off"; Flags: runhidden waituntilterminated; RunOnceId: "RemoveLogonTask"

[Code]
function NotOnPath(Dir: string): Boolean;
var
  Path: string;
begin
  if not RegQueryStringValue(HKEY_CURRENT_USER, 'Environment', 'Path', Path) then
    Path := '';
  Result := Pos(';' + Uppercase(Dir) + ';', ';' + Uppercase(Path) + ';') = 0;
end;

procedure CurUninstallStepChanged(CurUninstallStep: TUninstallStep);
var
  Path, Dir: string;
  P: Integer;
begin
  if CurUninstallStep <> usPostUninstall then
    exit;
  if not RegQueryStringValue(HKEY_CURRENT_USER, 'Environment', 'Path', Path) then
    exit;
  Dir := ExpandConstant('{app}');
  P := Pos(';' + Uppercase(Dir), Uppercase(Path));
  if P > 0 then
  begin
    Delete(Path, P, Length(Dir) + 1);
    RegWriteExpandStringValue(HKEY_CURRENT_USER, 'Environment', 'Path', Path);
  end;
end;
