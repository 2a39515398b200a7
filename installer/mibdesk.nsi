; The mibdesk installer for Windows (NSIS 3, Unicode, Simplified Chinese).
;
; installer/build.py compiles it against the PyInstaller folder, with the version taken from
; mibdesk.__version__:
;   makensis /DVERSION=0.1.0 /DVERSION4=0.1.0.0 /DBUNDLE=dist\mibdesk
;            /DOUTFILE=dist\mibdesk-0.1.0-setup.exe installer\mibdesk.nsi
; (/DUNCOMPRESSED=1 for a quick check of the script, as CI does: a large, uncompressed file.)
;
; A per-machine install into Program Files (administrator rights): Start-menu and desktop
; shortcuts for the window, the install folder on the machine PATH for mibdesk-cli, an entry
; in Apps & features. Each Windows user's office data lives in %LOCALAPPDATA%\mibdesk and is
; never touched here: uninstalling keeps it; installing a newer version over an older one
; replaces the program only, and the program migrates the data at its next start, after a
; verified backup.

Unicode true
ManifestDPIAware true

!macro Required NAME
  !ifndef ${NAME}
    !error "Give /D${NAME}=… (installer/build.py does)."
  !endif
!macroend
!insertmacro Required VERSION
!insertmacro Required VERSION4
!insertmacro Required BUNDLE
!insertmacro Required OUTFILE

!include MUI2.nsh
!include LogicLib.nsh
!include x64.nsh
!include FileFunc.nsh
!include WinMessages.nsh

!define APP "mibdesk"
!define UNINSTALL_KEY "Software\Microsoft\Windows\CurrentVersion\Uninstall\mibdesk"
!define APP_KEY "Software\mibdesk"

Name "${APP} ${VERSION}"
OutFile "${OUTFILE}"
InstallDir "$PROGRAMFILES64\${APP}"
InstallDirRegKey HKLM "${APP_KEY}" "InstallDir"
RequestExecutionLevel admin
!ifdef UNCOMPRESSED
  SetCompress off  ; CI checks the script against the bundle in seconds; nothing to ship
!else
  SetCompressor /SOLID lzma
!endif
BrandingText "${APP} ${VERSION}"

!define MUI_ABORTWARNING
!define MUI_ICON "../resources/icons/mibdesk.ico"  ; makensis works in this script's folder
!define MUI_UNICON "../resources/icons/mibdesk.ico"
!define MUI_WELCOMEPAGE_TEXT "安装程序将在本机安装 ${APP} ${VERSION}。$\r$\n$\r$\n\
请先关闭正在运行的 ${APP}。$\r$\n$\r$\n\
办公数据保存在每位 Windows 用户自己的 %LOCALAPPDATA%\${APP} 文件夹中，安装、升级和卸载都不会改动它。\
覆盖安装新版本后，程序首次启动时会先做一次经过校验的备份，再升级数据。"
!insertmacro MUI_PAGE_WELCOME
!insertmacro MUI_PAGE_DIRECTORY
!insertmacro MUI_PAGE_INSTFILES
!define MUI_FINISHPAGE_RUN "$INSTDIR\${APP}.exe"
!insertmacro MUI_PAGE_FINISH
!define MUI_UNCONFIRMPAGE_TEXT_TOP "将从本机删除 ${APP} 程序。$\r$\n\
各用户的办公数据（%LOCALAPPDATA%\${APP}：数据库、备份、日志、签名密钥）会保留，不会删除。"
!insertmacro MUI_UNPAGE_CONFIRM
!insertmacro MUI_UNPAGE_INSTFILES
!insertmacro MUI_LANGUAGE "SimpChinese"

VIProductVersion "${VERSION4}"
VIFileVersion "${VERSION4}"
VIAddVersionKey /LANG=${LANG_SIMPCHINESE} "ProductName" "${APP}"
VIAddVersionKey /LANG=${LANG_SIMPCHINESE} "ProductVersion" "${VERSION}"
VIAddVersionKey /LANG=${LANG_SIMPCHINESE} "FileVersion" "${VERSION}"
VIAddVersionKey /LANG=${LANG_SIMPCHINESE} "FileDescription" "${APP} 安装程序"
VIAddVersionKey /LANG=${LANG_SIMPCHINESE} "LegalCopyright" "${APP}"

Function .onInit
  ${IfNot} ${RunningX64}
    MessageBox MB_ICONSTOP|MB_OK "${APP} 需要 64 位 Windows。" /SD IDOK
    Abort
  ${EndIf}
  SetRegView 64
  SetShellVarContext all
FunctionEnd

Function un.onInit
  SetRegView 64
  SetShellVarContext all
FunctionEnd

; Add or remove $INSTDIR in the machine PATH through path.ps1 (no NSIS string limit).
!macro EditPath ACTION
  InitPluginsDir
  File "/oname=$PLUGINSDIR\path.ps1" "path.ps1"  ; beside this script: makensis works in its folder
  nsExec::ExecToLog 'powershell.exe -NoProfile -NonInteractive -ExecutionPolicy Bypass -File "$PLUGINSDIR\path.ps1" ${ACTION} "$INSTDIR"'
  Pop $0
  ${If} $0 == 0
    SendMessage ${HWND_BROADCAST} ${WM_SETTINGCHANGE} 0 "STR:Environment" /TIMEOUT=5000
  ${Else}
    DetailPrint "PATH 未能修改（$0），请手动处理：$INSTDIR"
    MessageBox MB_ICONEXCLAMATION|MB_OK "未能修改系统 PATH（$0）。$\r$\n\
如需在命令行使用 mibdesk-cli，请手动把下面的文件夹加入（或移出）PATH：$\r$\n$INSTDIR" /SD IDOK
  ${EndIf}
!macroend

Section "${APP}"
  SetOutPath "$INSTDIR"
  ; an upgrade replaces the program whole, so no file of the older version lingers
  RMDir /r "$INSTDIR\_internal"
  File /r "${BUNDLE}/*"
  WriteUninstaller "$INSTDIR\uninstall.exe"

  CreateDirectory "$SMPROGRAMS\${APP}"
  CreateShortcut "$SMPROGRAMS\${APP}\${APP}.lnk" "$INSTDIR\${APP}.exe"
  CreateShortcut "$SMPROGRAMS\${APP}\卸载 ${APP}.lnk" "$INSTDIR\uninstall.exe"
  CreateShortcut "$DESKTOP\${APP}.lnk" "$INSTDIR\${APP}.exe"

  WriteRegStr HKLM "${APP_KEY}" "InstallDir" "$INSTDIR"
  WriteRegStr HKLM "${UNINSTALL_KEY}" "DisplayName" "${APP}"
  WriteRegStr HKLM "${UNINSTALL_KEY}" "DisplayVersion" "${VERSION}"
  WriteRegStr HKLM "${UNINSTALL_KEY}" "Publisher" "${APP}"
  WriteRegStr HKLM "${UNINSTALL_KEY}" "DisplayIcon" "$INSTDIR\${APP}.exe"
  WriteRegStr HKLM "${UNINSTALL_KEY}" "InstallLocation" "$INSTDIR"
  WriteRegStr HKLM "${UNINSTALL_KEY}" "UninstallString" '"$INSTDIR\uninstall.exe"'
  WriteRegStr HKLM "${UNINSTALL_KEY}" "QuietUninstallString" '"$INSTDIR\uninstall.exe" /S'
  WriteRegDWORD HKLM "${UNINSTALL_KEY}" "NoModify" 1
  WriteRegDWORD HKLM "${UNINSTALL_KEY}" "NoRepair" 1
  ${GetSize} "$INSTDIR" "/S=0K" $1 $2 $3
  IntFmt $1 "0x%08X" $1
  WriteRegDWORD HKLM "${UNINSTALL_KEY}" "EstimatedSize" $1

  !insertmacro EditPath add
SectionEnd

Section "Uninstall"
  !insertmacro EditPath remove
  Delete "$DESKTOP\${APP}.lnk"
  RMDir /r "$SMPROGRAMS\${APP}"
  ; only what the installer put there: the office data is in %LOCALAPPDATA%, not here
  RMDir /r "$INSTDIR\_internal"
  Delete "$INSTDIR\${APP}.exe"
  Delete "$INSTDIR\${APP}-cli.exe"
  Delete "$INSTDIR\uninstall.exe"
  RMDir "$INSTDIR"
  DeleteRegKey HKLM "${UNINSTALL_KEY}"
  DeleteRegKey HKLM "${APP_KEY}"
SectionEnd
