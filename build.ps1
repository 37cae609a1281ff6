#!/usr/bin/env pwsh
# Build, test and publish EdgeGovernor. The same steps work with plain `dotnet` (see README.md).
#   ./build.ps1                                  build + test
#   ./build.ps1 -Publish                         also publish the native AOT binary for this machine (e.g. linux-x64)
#   ./build.ps1 -Publish -Runtimes linux-arm64   publish for the given runtime identifier(s) instead
# Publishing for another architecture (linux-arm64, linux-arm) needs that runtime's packs from the package
# source (runtime.linux-arm64.Microsoft.DotNet.ILCompiler, Microsoft.NETCore.App.Runtime.linux-arm64) and a
# cross toolchain for the native link; see firmware/README.md, "Native AOT".
param(
    [string]$Configuration = 'Release',
    # Empty: the runtime identifier of this machine, linux-<x64|arm64|arm>.
    [string[]]$Runtimes = @(),
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
    if ($Runtimes.Count -eq 0) {
        $arch = [System.Runtime.InteropServices.RuntimeInformation]::OSArchitecture.ToString().ToLowerInvariant()
        $Runtimes = @("linux-$arch")
    }
    foreach ($rid in $Runtimes) {
        Invoke-Step "publish $rid" {
            dotnet publish firmware/EdgeGovernor.Firmware -c $Configuration -r $rid -o "artifacts/publish/$rid"
        }
    }
}
