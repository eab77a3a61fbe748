# Build the Windows installer: run from the repository root on a Windows PC with uv and Inno Setup 6.
#   powershell -ExecutionPolicy Bypass -File installer\build.ps1
$ErrorActionPreference = "Stop"
$version = (uv run python -c "import core; print(core.__version__)").Trim()
$env:WATCHKEEPER_VERSION = $version
uv run --with pyinstaller pyinstaller --noconfirm --distpath dist --workpath build installer\watchkeeper.spec
& "${env:ProgramFiles(x86)}\Inno Setup 6\ISCC.exe" installer\watchkeeper.iss
Write-Host "Built dist\Watchkeeper-$version-setup.exe"
