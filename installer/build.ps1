# Build the Windows installer: run from anywhere on a Windows PC with uv and Inno Setup 6.3 or newer.
#   powershell -ExecutionPolicy Bypass -File installer\build.ps1
# Every step is checked: a failed PyInstaller run is never packaged from an old dist\ folder.
$ErrorActionPreference = "Stop"
Set-StrictMode -Version Latest
$root = Split-Path -Parent $PSScriptRoot
Set-Location $root

function Invoke-Checked([string]$What, [scriptblock]$Command) {
    # PowerShell does not stop on a native program's failure by itself: look at its exit code.
    $global:LASTEXITCODE = 0
    & $Command
    if ($LASTEXITCODE -ne 0) {
        throw "$What failed (exit code $LASTEXITCODE); no installer was made."
    }
}

function Find-Iscc {
    $onPath = Get-Command ISCC.exe -ErrorAction SilentlyContinue
    if ($onPath) { return $onPath.Source }
    $uninstall = "Microsoft\Windows\CurrentVersion\Uninstall\Inno Setup 6_is1"
    foreach ($key in @("HKLM:\SOFTWARE\$uninstall", "HKLM:\SOFTWARE\WOW6432Node\$uninstall", "HKCU:\SOFTWARE\$uninstall")) {
        $entry = Get-ItemProperty -Path $key -ErrorAction SilentlyContinue
        if ($entry -and $entry.PSObject.Properties["InstallLocation"]) {
            $candidate = Join-Path $entry.InstallLocation "ISCC.exe"
            if (Test-Path $candidate) { return $candidate }
        }
    }
    foreach ($dir in @("${env:ProgramFiles(x86)}\Inno Setup 6", "$env:ProgramFiles\Inno Setup 6", "$env:LOCALAPPDATA\Programs\Inno Setup 6")) {
        $candidate = Join-Path $dir "ISCC.exe"
        if (Test-Path $candidate) { return $candidate }
    }
    throw "Inno Setup 6.3 or newer was not found (no ISCC.exe on the PATH or in the registry); install it from https://jrsoftware.org/isdl.php"
}

if (-not (Get-Command uv -ErrorAction SilentlyContinue)) {
    throw "uv was not found on the PATH; install it from https://docs.astral.sh/uv/"
}
$iscc = Find-Iscc  # before the long build: fail early

# Clean first: nothing of an earlier build may end up in this installer.
foreach ($old in @("dist\Watchkeeper", "build\watchkeeper")) {
    if (Test-Path $old) { Remove-Item -Recurse -Force $old }
}

$version = (uv run --locked python -c "import core; print(core.__version__)")
if ($LASTEXITCODE -ne 0 -or -not $version) { throw "Could not read Watchkeeper's version (uv run failed)." }
$env:WATCHKEEPER_VERSION = "$version".Trim()

Invoke-Checked "PyInstaller" { uv run --locked pyinstaller --noconfirm --clean --distpath dist --workpath build installer\watchkeeper.spec }
foreach ($exe in @("dist\Watchkeeper\Watchkeeper.exe", "dist\Watchkeeper\watchkeeper-cli.exe")) {
    if (-not (Test-Path $exe)) { throw "PyInstaller reported success but $exe is missing." }
}
# The bundle runs: the command line answers, and it can open a gateway URL (socket:// needs the
# pyserial URL handlers collected by the spec) - loop:// is the one that needs no network.
Invoke-Checked "watchkeeper-cli.exe --version" { & dist\Watchkeeper\watchkeeper-cli.exe --version }
Invoke-Checked "watchkeeper-cli.exe record on loop://" {
    & dist\Watchkeeper\watchkeeper-cli.exe record --port "loop://" --db "build\smoke.duckdb" --duration 2 --no-monitor
}

$bundle = Get-ChildItem -Recurse -File dist\Watchkeeper
$gb = ($bundle | Measure-Object -Property Length -Sum).Sum / 1GB
Write-Host ("Bundle: {0:N2} GB in {1} files" -f $gb, $bundle.Count)

Invoke-Checked "Inno Setup (ISCC)" { & $iscc installer\watchkeeper.iss }
$setup = "dist\Watchkeeper-$env:WATCHKEEPER_VERSION-setup.exe"
if (-not (Test-Path $setup)) { throw "ISCC reported success but $setup is missing." }
Write-Host "Built $setup"
