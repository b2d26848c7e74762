; RoadWatch for Windows: Inno Setup 6 script (per-machine install of the one-folder bundle).
;
; Build (on Windows, after `pyinstaller installer\roadwatch.spec` has made dist\roadwatch):
;   iscc /DAppVersion=0.1.0 /DBundleDir=..\..\dist\roadwatch installer\windows\roadwatch.iss
; See installer/README.md. Silent install for IT, placing the site file:
;   RoadWatch-0.1.0-setup.exe /VERYSILENT /SUPPRESSMSGBOXES /SITE=C:\deploy\site.yaml
;     [/CENTRAL=postgresql://roadwatch@db.ttgt.local/roadwatch]
; Uninstall keeps operators' data (database, evidence, recordings) unless the user ticks
; "remove data", or a silent uninstall is given /REMOVEDATA=yes.

#ifndef AppVersion
  #define AppVersion "0.1.0"
#endif
#ifndef BundleDir
  #define BundleDir "..\..\dist\roadwatch"
#endif
#ifndef OutputDir
  #define OutputDir "..\..\dist"
#endif
#define AppName "RoadWatch"
#define AppExe "roadwatch.exe"
#define AppGuiExe "roadwatchw.exe"

[Setup]
AppId={{6E3B1C52-7A4D-4F0B-9C1E-2B7D5A9E4C10}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher=RoadWatch developers
AppPublisherURL=https://github.com/roadwatch/roadwatch
DefaultDirName={autopf}\{#AppName}
DefaultGroupName={#AppName}
; Per-machine: every operator account on the PC gets the console; needs administrator rights.
PrivilegesRequired=admin
PrivilegesRequiredOverridesAllowed=
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
LicenseFile=..\..\LICENSE
SetupIconFile=..\..\resources\icons\roadwatch.ico
UninstallDisplayIcon={app}\{#AppExe}
OutputDir={#OutputDir}
OutputBaseFilename={#AppName}-{#AppVersion}-setup
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
; An upgrade installs over the previous version in place; close a running console first.
CloseApplications=yes
RestartApplications=no
DisableProgramGroupPage=yes

[Languages]
Name: "english"; MessagesFile: "compiler:Default.isl"

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[Files]
; The whole PyInstaller folder; files of an older version that are gone are removed by
; [InstallDelete] below, so an upgrade never mixes two versions' libraries.
Source: "{#BundleDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Dirs]
; Machine-wide data of `roadwatch provision --system` (console/provision): every operator
; account on the PC writes the local database, evidence and recordings there.
Name: "{commonappdata}\RoadWatch\data"; Permissions: users-modify; Flags: uninsneveruninstall
Name: "{commonappdata}\RoadWatch\config"; Flags: uninsneveruninstall

[InstallDelete]
Type: filesandordirs; Name: "{app}\_internal"

[Icons]
Name: "{group}\{#AppName}"; Filename: "{app}\{#AppGuiExe}"; WorkingDir: "{app}"
Name: "{group}\{#AppName} self-check"; Filename: "{cmd}"; Parameters: "/k ""{app}\{#AppExe}"" --self-check"; WorkingDir: "{app}"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\{#AppGuiExe}"; Tasks: desktopicon

[Registry]
; `roadwatch` on PATH for IT scripts (machine PATH, removed again on uninstall).
Root: HKLM; Subkey: "SYSTEM\CurrentControlSet\Control\Session Manager\Environment"; ValueType: expandsz; ValueName: "Path"; ValueData: "{olddata};{app}"; Check: NeedsAddPath(ExpandConstant('{app}'))

[Run]
; Provisioning (only when a site file was given): places the site file and its model,
; stores credentials in the Windows Credential Manager, keeps existing data on upgrade.
Filename: "{app}\{#AppExe}"; Parameters: "{code:ProvisionParameters}"; StatusMsg: "Provisioning the site file..."; Flags: runhidden waituntilterminated; Check: HasSiteParameter
Filename: "{app}\{#AppGuiExe}"; Description: "{cm:LaunchProgram,{#AppName}}"; Flags: nowait postinstall skipifsilent

[Code]
var
  RemoveDataAnswer: Boolean;

function SiteParameter(): String;
begin
  Result := ExpandConstant('{param:SITE|}');
end;

function HasSiteParameter(): Boolean;
begin
  Result := SiteParameter() <> '';
end;

function ProvisionParameters(Param: String): String;
var
  Central: String;
begin
  Result := 'provision --system "' + SiteParameter() + '"';
  Central := ExpandConstant('{param:CENTRAL|}');
  if Central <> '' then
    Result := Result + ' --central-url "' + Central + '"';
end;

function InitializeSetup(): Boolean;
begin
  Result := True;
  if HasSiteParameter() and not FileExists(SiteParameter()) then
  begin
    SuppressibleMsgBox('Site file not found: ' + SiteParameter(), mbCriticalError, MB_OK, IDOK);
    Result := False;
  end;
end;

function NeedsAddPath(Dir: String): Boolean;
var
  Current: String;
begin
  if not RegQueryStringValue(HKEY_LOCAL_MACHINE,
    'SYSTEM\CurrentControlSet\Control\Session Manager\Environment', 'Path', Current) then
  begin
    Result := True;
    exit;
  end;
  Result := Pos(';' + Uppercase(Dir) + ';', ';' + Uppercase(Current) + ';') = 0;
end;

procedure RemoveFromPath(Dir: String);
var
  Current: String;
  Position: Integer;
begin
  if RegQueryStringValue(HKEY_LOCAL_MACHINE,
    'SYSTEM\CurrentControlSet\Control\Session Manager\Environment', 'Path', Current) then
  begin
    Position := Pos(';' + Uppercase(Dir), Uppercase(Current));
    if Position > 0 then
    begin
      Delete(Current, Position, Length(Dir) + 1);
      RegWriteExpandStringValue(HKEY_LOCAL_MACHINE,
        'SYSTEM\CurrentControlSet\Control\Session Manager\Environment', 'Path', Current);
    end;
  end;
end;

function InitializeUninstall(): Boolean;
begin
  Result := True;
  // Data is evidence: kept unless someone asks for its removal, explicitly.
  if UninstallSilent() then
    RemoveDataAnswer := ExpandConstant('{param:REMOVEDATA|no}') <> 'no'
  else
    RemoveDataAnswer := MsgBox('Also remove RoadWatch data on this PC (local database, ' +
      'evidence, recordings, site files and logs)?' + #13#10 + #13#10 +
      'Choose No to keep them (recommended; a reinstall finds them again).',
      mbConfirmation, MB_YESNO or MB_DEFBUTTON2) = IDYES;
end;

procedure CurUninstallStepChanged(CurUninstallStep: TUninstallStep);
begin
  if CurUninstallStep = usUninstall then
    RemoveFromPath(ExpandConstant('{app}'));
  if (CurUninstallStep = usPostUninstall) and RemoveDataAnswer then
  begin
    // Machine-wide files of `provision --system`, and this account's per-user ones.
    DelTree(ExpandConstant('{commonappdata}\RoadWatch'), True, True, True);
    DelTree(ExpandConstant('{localappdata}\roadwatch'), True, True, True);
  end;
end;
