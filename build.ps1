#!/usr/bin/env pwsh
# Build, test and publish EdgeGovernor. The same steps work with plain `dotnet` (see README.md).
#   ./build.ps1                      build + test
#   ./build.ps1 -Publish             also publish native AOT binaries for every runtime in -Runtimes
#   ./build.ps1 -Publish -Runtimes linux-x64
param(
    [string]$Configuration = 'Release',
    [string[]]$Runtimes = @('linux-arm64', 'linux-arm', 'linux-x64'),
    # net9.0 while the net10.0 NativeAOT runtime pack is not served by the package mirror.
    [string]$PublishFramework = 'net9.0',
    [switch]$Publish,
    [switch]$SkipTests
)
$ErrorActionPreference = 'Stop'
Set-Location $PSScriptRoot

function Invoke-Step([string]$name, [scriptblock]$block) {
    Write-Host "== $name"
    & $block
    if ($LASTEXITCODE -ne 0) { throw "$name failed (exit code $LASTEXITCODE)" }
}

Invoke-Step 'build' { dotnet build EdgeGovernor.sln -c $Configuration -warnaserror }
if (-not $SkipTests) {
    Invoke-Step 'test' { dotnet test EdgeGovernor.sln -c $Configuration --no-build }
}
if ($Publish) {
    foreach ($rid in $Runtimes) {
        Invoke-Step "publish $rid" {
            dotnet publish firmware/EdgeGovernor.Firmware -c $Configuration -r $rid -f $PublishFramework -o "artifacts/publish/$rid"
        }
    }
}
