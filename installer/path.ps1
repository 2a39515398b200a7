# Add or remove one folder in the machine-wide PATH; run by the mibdesk installer and uninstaller:
#     powershell -NoProfile -ExecutionPolicy Bypass -File path.ps1 add|remove FOLDER
# The registry value is read unexpanded and written back as REG_EXPAND_SZ, so entries such as
# %SystemRoot%\system32 stay as they were, and with no length limit (NSIS strings stop at
# 1024 characters and would cut a long PATH). Exit 0 when done or nothing to do, 1 on failure.
param(
    [Parameter(Mandatory = $true)][ValidateSet('add', 'remove')][string]$Action,
    [Parameter(Mandatory = $true)][string]$Folder
)
$ErrorActionPreference = 'Stop'
try {
    $key = [Microsoft.Win32.Registry]::LocalMachine.OpenSubKey(
        'SYSTEM\CurrentControlSet\Control\Session Manager\Environment', $true)
    $current = $key.GetValue('Path', '',
        [Microsoft.Win32.RegistryValueOptions]::DoNotExpandEnvironmentNames)
    $target = $Folder.TrimEnd('\')
    $entries = @($current -split ';' | Where-Object { $_ -ne '' })
    $others = @($entries | Where-Object { $_.TrimEnd('\') -ine $target })
    if ($Action -eq 'add') {
        if ($others.Count -lt $entries.Count) { exit 0 }  # already there
        $updated = $entries + $target
    } else {
        if ($others.Count -eq $entries.Count) { exit 0 }  # not there
        $updated = $others
    }
    $key.SetValue('Path', ($updated -join ';'), [Microsoft.Win32.RegistryValueKind]::ExpandString)
    $key.Close()
    exit 0
} catch {
    Write-Output $_.Exception.Message
    exit 1
}
