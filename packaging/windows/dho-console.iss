; Inno Setup script of the DHO console for Windows (10 and 11, 64-bit).
;
; Build on Windows, from the repository root, in a venv with `pip install -c constraints.txt -e .[bundle]`:
;   pyinstaller --noconfirm --distpath dist --workpath build\pyinstaller packaging\dho-console.spec
;   iscc packaging\windows\dho-console.iss        (Inno Setup 6)
; gives dist\dho-console-setup-<version>.exe.
;
; What the bundle holds for Windows (packaging/dho-console.spec): the keyring's Windows backend
; (keyring.backends.Windows, Windows Credential Manager, through win32ctypes) for the refresh
; token; Qt's Windows plugins platforms\qwindows.dll, styles\qmodernwindowsstyle.dll,
; imageformats\*, tls\qschannelbackend.dll and multimedia\ffmpegmediaplugin.dll (the alert sound).
;
; Settings for every user of a machine: the registry key HKLM\SOFTWARE\DHO\dho-console
; (group policy can write it) or %ProgramData%\DHO\dho-console.ini; docs/settings.md lists
; every key. The installer writes no settings itself: a municipality deploys them.

#define AppName "DHO Console"
#define AppVersion "0.1.0"
#define AppId "{{6B1F5C2E-3D7A-4E0B-9A64-2D0C5E1F7A11}"

[Setup]
AppId={#AppId}
AppName={#AppName}
AppVersion={#AppVersion}
AppPublisher=DHO project
AppPublisherURL=https://dho.example/
DefaultDirName={autopf}\DHO Console
DefaultGroupName=DHO Console
DisableProgramGroupPage=yes
OutputDir=..\..\dist
OutputBaseFilename=dho-console-setup-{#AppVersion}
SetupIconFile=..\..\resources\icons\dho-console.ico
UninstallDisplayIcon={app}\dho-console.exe
Compression=lzma2/max
SolidCompression=yes
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
PrivilegesRequired=admin
PrivilegesRequiredOverridesAllowed=dialog
WizardStyle=modern
MinVersion=10.0

[Languages]
Name: "nb"; MessagesFile: "compiler:Languages\Norwegian.isl"
Name: "en"; MessagesFile: "compiler:Default.isl"

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[Files]
; The PyInstaller one-folder bundle, as built by packaging\dho-console.spec.
Source: "..\..\dist\dho-console\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs
Source: "..\linux\dho-console.conf.example"; DestDir: "{app}\doc"; DestName: "dho-console.ini.example"

[Icons]
Name: "{group}\DHO Console"; Filename: "{app}\dho-console.exe"; WorkingDir: "{userdocs}"
Name: "{group}\{cm:UninstallProgram,DHO Console}"; Filename: "{uninstallexe}"
Name: "{autodesktop}\DHO Console"; Filename: "{app}\dho-console.exe"; WorkingDir: "{userdocs}"; Tasks: desktopicon

[Run]
Filename: "{app}\dho-console.exe"; Description: "{cm:LaunchProgram,DHO Console}"; Flags: nowait postinstall skipifsilent

[UninstallDelete]
; Only what the program itself wrote next to it; users' data and settings stay.
Type: filesandordirs; Name: "{app}\__pycache__"
