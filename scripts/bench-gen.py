#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
# Copyright 2026 The rmmhunt developers
"""bench-gen.py - writer descriptions of a realistic Sysmon log, for scripts/bench.

Writes to standard output a description for tests/evtxwrite (grammar in
testdata/README.writer) of one host's Sysmon/Operational log:

    Event ID   share  what
        1        4%   process create (CommandLine, ParentImage, Hashes, ...)
        3       10%   network connection
        5        4%   process terminated
        7       40%   image loaded: ordinary Windows/.NET/application DLLs
       10       12%   process access (SourceImage, TargetImage, GrantedAccess,
                      CallTrace)
       11       10%   file create (TargetFilename)
       12        6%   registry key create/delete (TargetObject)
       13       10%   registry value set (TargetObject, Details)
       22        4%   DNS query (QueryName, QueryResults)

with the Data field names, in the order, that Sysmon 13-15 writes for each
Event ID.  Processes live in a pool (an Event ID 1 adds one, a 5 ends one),
so GUIDs, PIDs and images of the other events refer to running processes;
a DLL's hashes are derived from its path, so the same DLL has the same
hashes every time.

A "clean" log (--hits 0) holds none of the NetSupport module names
(PCICL32.DLL, HTCTL32.DLL, TCCTL32.DLL, pcicapi.dll, pcichek.dll,
CryptPak.dll) anywhere; this is checked on every event.  With --hits F a
fraction F of the records (chosen at random, seeded, so the same arguments
give the same bytes) are NetSupport hits instead: client32.exe in AppData,
ProgramData or Downloads loading one of the six DLLs, signed by
"NetSupport Ltd".  The records that are not hits are the same as in the
clean log of the same seed and size.

    bench-gen.py [--seed S] [--events N] [--hits F] [--burst]  > desc

or, to write the log itself with the writer, its chunks laid out so that
libevtx reads every record (see "chunk layout" below):

    bench-gen.py [--seed S] [--events N] [--hits F] [--burst] \
        --writer build/tests/evtxwrite --out FILE.evtx [--chunks N]

prints the records and hits written; with --chunks N the file is exactly
N chunks (4096 + N * 65536 bytes): the records that do not fit are dropped.

--burst writes the hits as bursts of six consecutive loads (one client32.exe
start loading all six DLLs) instead of single records, in the first three
quarters of the records.

Many small logs, one writer process each (2 at a time by default):

    bench-gen.py --small DIR --count 500 --events N --writer build/tests/evtxwrite
        [--chunks N] [--hit-every 50] [--seed S] [--jobs 2]

writes DIR/small-0000.evtx ... (laid out as with --out) and prints the
records and hits written in all; file i uses seed S*100003+i, and every
--hit-every-th file (i % K == K/2) holds one burst of six NetSupport loads.

The names (host, users, domains, addresses from the documentation ranges)
are made up.  Standard library only.
"""

import argparse
import hashlib
import os
import random
import struct
import subprocess
import sys
import tempfile
import time

HOST = "WS-FIN-0417"
DOMAIN = "corp.example.com"
FQDN = HOST + "." + DOMAIN
LOCAL_IP = "10.20.30.41"
MACHINE = "9F2B6C1D"          # first part of every ProcessGuid on this host
USERS = ["alice.moreau", "bob.tanaka", "svc_backup"]
NETSUPPORT = ("PCICL32.DLL", "HTCTL32.DLL", "TCCTL32.DLL",
              "pcicapi.dll", "pcichek.dll", "CryptPak.dll")
NETSUPPORT_LC = tuple(n.lower() for n in NETSUPPORT)
# stems matched too: the pre-filter anchors on ".dll", but a clean log holds
# none of these names in any form
NETSUPPORT_STEMS = tuple(n.split(".")[0] for n in NETSUPPORT_LC)

EVENT_MIX = [(1, 4), (3, 10), (5, 4), (7, 40), (10, 12), (11, 10),
             (12, 6), (13, 10), (22, 4)]

SYS32 = "C:\\Windows\\System32\\"
WOW64 = "C:\\Windows\\SysWOW64\\"

SYSTEM_DLLS = """ntdll kernel32 KernelBase user32 gdi32 gdi32full win32u msvcrt
advapi32 sechost rpcrt4 combase ucrtbase msvcp_win bcryptPrimitives shell32
shlwapi ole32 oleaut32 imm32 uxtheme dwmapi cfgmgr32 SHCore windows.storage
profapi powrprof umpdc kernel.appcore wintrust crypt32 msasn1 cryptbase
cryptsp rsaenh bcrypt ncrypt ntasn1 sspicli version ws2_32 mswsock dnsapi
IPHLPAPI nsi winnsi dhcpcsvc dhcpcsvc6 winhttp wininet urlmon iertutil
netutils srvcli wkscli samcli samlib netapi32 logoncli secur32 userenv
wldp clbcatq propsys edputil TextInputFramework CoreMessaging CoreUIComponents
wintypes twinapi.appcore ntmarta MMDevAPI AudioSes avrt dxgi d3d11 d3d12
dcomp DXCore directxdatabasehelper windowscodecs dbghelp dbgcore
FirewallAPI fwbase fwpuclnt wevtapi wtsapi32 winsta WINTRUST msctf
mpr setupapi devobj cryptnet cryptui gpapi wbemcomn wbemprox wbemsvc
fastprox wmiutils vaultcli ntshrui cscapi linkinfo apphelp sxs
TaskSchdPS taskschd xmllite webio OnDemandConnRouteHelper rasadhlp
schannel mskeyprotect ncryptsslp DPAPI credui winmm winmmbase oleacc
comctl32 riched20 usp10 msls31 mlang dwrite textshaping InputHost
Windows.UI Windows.UI.Immersive ExplorerFrame StructuredQuery
thumbcache NetworkExplorer wpdshext PortableDeviceApi ntlanman
davclnt davhlpr drprov mfc42 msi sppc slc""".split()

APPS = [
    ("C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe",
     "C:\\Program Files\\Google\\Chrome\\Application\\120.0.6099.130\\",
     ["chrome_elf", "chrome", "libEGL", "libGLESv2", "d3dcompiler_47",
      "vk_swiftshader", "optimization_guide_internal"],
     "Google Chrome", "Google LLC"),
    ("C:\\Program Files (x86)\\Microsoft\\Edge\\Application\\msedge.exe",
     "C:\\Program Files (x86)\\Microsoft\\Edge\\Application\\120.0.2210.91\\",
     ["msedge_elf", "msedge", "libEGL", "libGLESv2", "telclient",
      "oneauth", "msedge_wer"],
     "Microsoft Edge", "Microsoft Corporation"),
    ("C:\\Program Files\\Microsoft Office\\root\\Office16\\OUTLOOK.EXE",
     "C:\\Program Files\\Microsoft Office\\root\\Office16\\",
     ["mso20win32client", "mso30win32client", "mso40uiwin32client",
      "mso99lwin32client", "OLMAPI32", "outlmime", "EMSMDB32", "ADDRBOOK"],
     "Microsoft Office", "Microsoft Corporation"),
    ("C:\\Program Files\\Microsoft Office\\root\\Office16\\EXCEL.EXE",
     "C:\\Program Files\\Microsoft Office\\root\\Office16\\",
     ["mso20win32client", "mso30win32client", "mso98win32client",
      "Oart", "chart", "VBE7"],
     "Microsoft Office", "Microsoft Corporation"),
    ("C:\\Users\\{user}\\AppData\\Local\\Microsoft\\Teams\\current\\Teams.exe",
     "C:\\Users\\{user}\\AppData\\Local\\Microsoft\\Teams\\current\\",
     ["ffmpeg", "libEGL", "libGLESv2", "d3dcompiler_47", "vulkan-1"],
     "Microsoft Teams", "Microsoft Corporation"),
    ("C:\\Users\\{user}\\AppData\\Local\\Microsoft\\OneDrive\\OneDrive.exe",
     "C:\\Users\\{user}\\AppData\\Local\\Microsoft\\OneDrive\\23.246.1127.0002\\",
     ["FileSyncShell64", "LoggingPlatform", "FileSyncClient", "UpdateRingSettings",
      "SyncEngine", "Telemetry"],
     "Microsoft OneDrive", "Microsoft Corporation"),
    ("C:\\Program Files\\7-Zip\\7zFM.exe", "C:\\Program Files\\7-Zip\\",
     ["7z", "7-zip"], "7-Zip", "Igor Pavlov"),
    ("C:\\Program Files\\Notepad++\\notepad++.exe",
     "C:\\Program Files\\Notepad++\\plugins\\",
     ["NppExport\\NppExport", "mimeTools\\mimeTools", "NppConverter\\NppConverter"],
     "Notepad++", "Notepad++ Team"),
]

SYSTEM_EXES = [
    ("C:\\Windows\\System32\\svchost.exe", "C:\\Windows\\system32\\svchost.exe -k netsvcs -p -s Schedule", "NT AUTHORITY\\SYSTEM"),
    ("C:\\Windows\\System32\\svchost.exe", "C:\\Windows\\system32\\svchost.exe -k LocalServiceNetworkRestricted -p -s EventLog", "NT AUTHORITY\\LOCAL SERVICE"),
    ("C:\\Windows\\System32\\svchost.exe", "C:\\Windows\\System32\\svchost.exe -k NetworkService -p -s Dnscache", "NT AUTHORITY\\NETWORK SERVICE"),
    ("C:\\Windows\\System32\\svchost.exe", "C:\\Windows\\system32\\svchost.exe -k wsappx -p -s AppXSvc", "NT AUTHORITY\\SYSTEM"),
    ("C:\\Windows\\System32\\svchost.exe", "C:\\Windows\\system32\\svchost.exe -k UnistackSvcGroup -s WpnUserService_4a1f3", "{dom}\\{user}"),
    ("C:\\Windows\\System32\\lsass.exe", "C:\\Windows\\system32\\lsass.exe", "NT AUTHORITY\\SYSTEM"),
    ("C:\\Windows\\System32\\services.exe", "C:\\Windows\\system32\\services.exe", "NT AUTHORITY\\SYSTEM"),
    ("C:\\Windows\\System32\\wbem\\WmiPrvSE.exe", "C:\\Windows\\system32\\wbem\\wmiprvse.exe -secured -Embedding", "NT AUTHORITY\\NETWORK SERVICE"),
    ("C:\\Windows\\System32\\SearchIndexer.exe", "C:\\Windows\\system32\\SearchIndexer.exe /Embedding", "NT AUTHORITY\\SYSTEM"),
    ("C:\\Windows\\System32\\SearchProtocolHost.exe", "\"C:\\Windows\\system32\\SearchProtocolHost.exe\" Global\\UsGthrFltPipeMssGthrPipe12_ Global\\UsGthrCtrlFltPipeMssGthrPipe12 1 -2147483646 \"Software\\Microsoft\\Windows Search\" \"Mozilla/4.0 (compatible; MSIE 6.0; Windows NT; MS Search 4.0 Robot)\" \"C:\\ProgramData\\Microsoft\\Search\\Data\\Temp\\usgthrsvc\" \"DownLevelDaemon\"", "NT AUTHORITY\\SYSTEM"),
    ("C:\\Windows\\explorer.exe", "C:\\Windows\\Explorer.EXE", "{dom}\\{user}"),
    ("C:\\Windows\\System32\\RuntimeBroker.exe", "C:\\Windows\\System32\\RuntimeBroker.exe -Embedding", "{dom}\\{user}"),
    ("C:\\Windows\\System32\\taskhostw.exe", "taskhostw.exe {222A245B-E637-4AE9-A93F-A59CA119A75E}", "{dom}\\{user}"),
    ("C:\\Windows\\System32\\conhost.exe", "\\??\\C:\\Windows\\system32\\conhost.exe 0xffffffff -ForceV1", "{dom}\\{user}"),
    ("C:\\Windows\\System32\\cmd.exe", "\"C:\\Windows\\system32\\cmd.exe\" /c \"C:\\Scripts\\logon.cmd\"", "{dom}\\{user}"),
    ("C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe", "powershell.exe -NoProfile -ExecutionPolicy Bypass -File C:\\ProgramData\\IT\\inventory.ps1", "NT AUTHORITY\\SYSTEM"),
    ("C:\\Windows\\System32\\backgroundTaskHost.exe", "\"C:\\Windows\\system32\\backgroundTaskHost.exe\" -ServerName:App.AppXmtcan0h2tfbfy7k9kn8hbxb6dmzz1zh0.mca", "{dom}\\{user}"),
    ("C:\\Windows\\System32\\MusNotification.exe", "C:\\Windows\\system32\\MusNotification.exe", "NT AUTHORITY\\SYSTEM"),
    ("C:\\Windows\\System32\\dllhost.exe", "C:\\Windows\\system32\\DllHost.exe /Processid:{3EB3C877-1F16-487C-9050-104DBCD66683}", "{dom}\\{user}"),
    ("C:\\Windows\\System32\\consent.exe", "consent.exe 1092 530 000001F5E1C7A4D0", "NT AUTHORITY\\SYSTEM"),
    ("C:\\Windows\\System32\\msiexec.exe", "C:\\Windows\\system32\\msiexec.exe /V", "NT AUTHORITY\\SYSTEM"),
    ("C:\\Windows\\System32\\sppsvc.exe", "C:\\Windows\\system32\\sppsvc.exe", "NT AUTHORITY\\NETWORK SERVICE"),
    ("C:\\ProgramData\\Microsoft\\Windows Defender\\Platform\\4.18.23110.3-0\\MsMpEng.exe", "\"C:\\ProgramData\\Microsoft\\Windows Defender\\Platform\\4.18.23110.3-0\\MsMpEng.exe\"", "NT AUTHORITY\\SYSTEM"),
    ("C:\\ProgramData\\Microsoft\\Windows Defender\\Platform\\4.18.23110.3-0\\MpCmdRun.exe", "\"C:\\ProgramData\\Microsoft\\Windows Defender\\Platform\\4.18.23110.3-0\\MpCmdRun.exe\" SignaturesUpdateService -ScheduleJob -UnmanagedUpdate", "NT AUTHORITY\\SYSTEM"),
    ("C:\\Windows\\Microsoft.NET\\Framework64\\v4.0.30319\\ngen.exe", "\"C:\\Windows\\Microsoft.NET\\Framework64\\v4.0.30319\\ngen.exe\" install \"System.Management.Automation, Version=3.0.0.0\" /NoDependencies /noroot /version:v4.0.30319 /LegacyServiceBehavior", "NT AUTHORITY\\SYSTEM"),
    ("C:\\Windows\\System32\\wuauclt.exe", "\"C:\\Windows\\system32\\wuauclt.exe\" /RunHandlerComServer", "NT AUTHORITY\\SYSTEM"),
]

DOTNET_DLLS = [
    "C:\\Windows\\Microsoft.NET\\Framework64\\v4.0.30319\\clr.dll",
    "C:\\Windows\\Microsoft.NET\\Framework64\\v4.0.30319\\clrjit.dll",
    "C:\\Windows\\Microsoft.NET\\Framework64\\v4.0.30319\\mscoreei.dll",
    "C:\\Windows\\System32\\mscoree.dll",
    "C:\\Windows\\Microsoft.NET\\Framework64\\v4.0.30319\\nlssorting.dll",
]
NI_ASSEMBLIES = ["mscorlib", "System", "System.Core", "System.Xml",
                 "System.Management.Automation", "System.Configuration",
                 "Microsoft.PowerShell.Commands.Utility", "System.Management",
                 "System.DirectoryServices", "Microsoft.Management.Infrastructure"]

TEMP_NAMES = ["tmp{:04X}.tmp", "~DF{:04X}.TMP", "{:08x}.etl", "wct{:04X}.tmp",
              "CVR{:04X}.tmp.cvr", "_PSScriptPolicyTest_{:x}.ps1"]
REG_KEYS = [
    "HKLM\\System\\CurrentControlSet\\Services\\bam\\State\\UserSettings\\S-1-5-21-1004336348-1177238915-682003330-1104\\\\Device\\HarddiskVolume3\\Windows\\System32\\{exe}",
    "HKU\\S-1-5-21-1004336348-1177238915-682003330-1104\\Software\\Microsoft\\Windows\\CurrentVersion\\Explorer\\RecentDocs\\.docx\\{n}",
    "HKLM\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\WINEVT\\Publishers\\{{{guid}}}\\Enabled",
    "HKLM\\System\\CurrentControlSet\\Services\\W32Time\\Config\\LastKnownGoodTime",
    "HKU\\S-1-5-21-1004336348-1177238915-682003330-1104\\Software\\Microsoft\\Office\\16.0\\Common\\Roaming\\Identities\\{n}_ADAL\\LastSwitchedTime",
    "HKLM\\SOFTWARE\\Microsoft\\Windows Defender\\Signature Updates\\SignaturesLastUpdated",
    "HKLM\\System\\CurrentControlSet\\Services\\Tcpip\\Parameters\\Interfaces\\{{{guid}}}\\DhcpIPAddress",
    "HKU\\S-1-5-21-1004336348-1177238915-682003330-1104\\Software\\Microsoft\\Windows\\CurrentVersion\\Explorer\\UserAssist\\{{CEBFF5CD-ACE2-4F4F-9178-9926F41749EA}}\\Count\\HRZR_PGYFRFFVBA",
    "HKLM\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion\\Schedule\\TaskCache\\Tree\\Microsoft\\Windows\\UpdateOrchestrator\\Schedule Scan\\Index",
]
REG_DETAILS = ["DWORD (0x00000001)", "DWORD (0x00000000)", "Binary Data",
               "QWORD (0x01da3f2c-0x5e1b7a20)", "10.20.30.41",
               "C:\\Windows\\system32\\svchost.exe -k netsvcs", "(Empty)"]
DOMAINS = ["login.microsoftonline.com", "outlook.office365.com",
           "www.google.com", "edge.microsoft.com", "teams.microsoft.com",
           "settings-win.data.microsoft.com", "ctldl.windowsupdate.com",
           "fileshare01.corp.example.com", "dc01.corp.example.com",
           "wpad.corp.example.com", "clients2.google.com",
           "oneclient.sfx.ms", "v10.events.data.microsoft.com",
           "_ldap._tcp.dc._msdcs.corp.example.com"]
PORTS = [(443, "https", 60), (80, "http", 10), (53, "domain", 10),
         (445, "microsoft-ds", 6), (135, "epmap", 4), (389, "ldap", 5),
         (88, "kerberos", 5)]
ACCESS = ["0x1000", "0x1400", "0x1410", "0x1fffff", "0x101541", "0x40",
          "0x3000", "0x1010"]
CALLTRACE_MODS = ["C:\\Windows\\SYSTEM32\\ntdll.dll", "C:\\Windows\\System32\\KERNELBASE.dll",
                  "C:\\Windows\\System32\\KERNEL32.DLL", "C:\\Windows\\system32\\lsasrv.dll",
                  "C:\\Windows\\System32\\RPCRT4.dll", "C:\\Windows\\System32\\combase.dll",
                  "C:\\Windows\\system32\\wbem\\wbemcore.dll"]
RULE_NAMES = ["-"] * 12 + ["technique_id=T1055,technique_name=Process Injection",
                           "technique_id=T1047,technique_name=Windows Management Instrumentation",
                           "technique_id=T1112,technique_name=Modify Registry"]


def hexd(data, n):
    return hashlib.sha256(data.encode()).hexdigest().upper()[:n]


class Gen:
    def __init__(self, seed):
        self.r = random.Random(seed)
        self.t = 1704096000.0 + self.r.randrange(0, 86400 * 30)  # Jan 2024 (s)
        self.counter = self.r.randrange(0x100, 0x8000)
        self.procs = []
        self.hashes = {}
        self._sec = None
        for _ in range(70):
            self.procs.append(self.new_proc())

    # --- helpers -------------------------------------------------------
    def user(self):
        return self.r.choice(USERS)

    def guid(self, t=None):
        t = int(self.t if t is None else t)
        self.counter += 1
        return "{%s-%04X-%04X-%04X-000000001A00}" % (
            MACHINE, t & 0xFFFF, (t >> 16) & 0xFFFF, self.counter & 0xFFFF)

    def file_hashes(self, path, imphash=True):
        h = self.hashes.get(path)
        if h is None:
            k = path.lower()
            h = "SHA1=%s,MD5=%s,SHA256=%s" % (hexd("1" + k, 40), hexd("5" + k, 32),
                                              hexd("2" + k, 64))
            if imphash:
                h += ",IMPHASH=" + hexd("i" + k, 32)
            self.hashes[path] = h
        return h

    def new_proc(self, exe=None):
        r = self.r
        if exe is None:
            if r.random() < 0.3:
                app = r.choice(APPS)
                u = self.user()
                image = app[0].replace("{user}", u)
                exe = (image, '"%s"' % image, "%s\\%s" % (HOST, u), app)
            else:
                s = r.choice(SYSTEM_EXES)
                exe = (s[0], s[1].replace("{dom}", "CORP").replace("{user}", self.user()),
                       s[2].replace("{dom}", "CORP").replace("{user}", self.user()), None)
        return {"guid": self.guid(self.t - r.randrange(0, 86400)),
                "pid": r.randrange(4, 40000, 4), "image": exe[0], "cmd": exe[1],
                "user": exe[2], "app": exe[3]}

    def proc(self):
        # recent processes are busier
        n = len(self.procs)
        i = n - 1 - min(n - 1, int(self.r.expovariate(1 / 25.0)))
        return self.procs[i]

    def stamps(self):
        """(time line value, Sysmon UtcTime) of self.t"""
        s = int(self.t)
        frac = int((self.t - s) * 10_000_000)
        if s != self._sec:
            self._sec = s
            self._day = time.strftime("%Y-%m-%d", time.gmtime(s))
            self._hms = time.strftime("%H:%M:%S", time.gmtime(s))
        return ("%sT%s.%07dZ" % (self._day, self._hms, frac),
                "%s %s.%03d" % (self._day, self._hms, frac // 10000))

    # --- events --------------------------------------------------------
    def head(self, eid, out, advance=True):
        if advance:
            self.t += self.r.expovariate(1 / 0.05)
        iso, utc = self.stamps()
        out.append("event\ntime %s\neventid %d\ncomputer %s\n" % (iso, eid, FQDN))
        return utc

    def ev1(self, out):
        r = self.r
        utc = self.head(1, out)
        parent = self.proc()
        p = self.new_proc()
        self.procs.append(p)
        if len(self.procs) > 220:
            del self.procs[r.randrange(0, 60)]
        stem = p["image"].rsplit("\\", 1)[1]
        d = [("RuleName", r.choice(RULE_NAMES)), ("UtcTime", utc),
             ("ProcessGuid", p["guid"]), ("ProcessId", str(p["pid"])),
             ("Image", p["image"]),
             ("FileVersion", "10.0.19041.%d (WinBuild.160101.0800)" % r.randrange(1, 4000)),
             ("Description", stem.split(".")[0] + " application"),
             ("Product", "Microsoft\u00ae Windows\u00ae Operating System"),
             ("Company", "Microsoft Corporation"), ("OriginalFileName", stem),
             ("CommandLine", p["cmd"]),
             ("CurrentDirectory", "C:\\Windows\\system32\\"),
             ("User", p["user"]),
             ("LogonGuid", "{%s-%04X-6595-E703-000000000000}" % (MACHINE, r.randrange(65536))),
             ("LogonId", "0x%x" % r.choice([0x3e7, 0x3e5, 0x3e4, 0x4ea1c2, 0x4ea1f0])),
             ("TerminalSessionId", r.choice(["0", "1"])),
             ("IntegrityLevel", r.choice(["System", "High", "Medium", "Medium"])),
             ("Hashes", self.file_hashes(p["image"])),
             ("ParentProcessGuid", parent["guid"]),
             ("ParentProcessId", str(parent["pid"])),
             ("ParentImage", parent["image"]),
             ("ParentCommandLine", parent["cmd"]),
             ("ParentUser", parent["user"])]
        self.data(d, out)

    def ev3(self, out):
        r = self.r
        utc = self.head(3, out)
        p = self.proc()
        port, pname, _ = r.choices(PORTS, weights=[w for _, _, w in PORTS])[0]
        internal = port in (53, 445, 135, 389, 88) or r.random() < 0.1
        dip = ("10.20.%d.%d" % (r.randrange(0, 4), r.randrange(2, 250)) if internal else
               r.choice(["198.51.100.%d", "203.0.113.%d", "192.0.2.%d"]) % r.randrange(1, 255))
        d = [("RuleName", r.choice(RULE_NAMES)), ("UtcTime", utc),
             ("ProcessGuid", p["guid"]), ("ProcessId", str(p["pid"])),
             ("Image", p["image"]), ("User", p["user"]),
             ("Protocol", "udp" if port == 53 else "tcp"),
             ("Initiated", "true"), ("SourceIsIpv6", "false"),
             ("SourceIp", LOCAL_IP), ("SourceHostname", FQDN),
             ("SourcePort", str(r.randrange(49152, 65535))), ("SourcePortName", "-"),
             ("DestinationIsIpv6", "false"), ("DestinationIp", dip),
             ("DestinationHostname", r.choice(DOMAINS) if r.random() < 0.6 else "-"),
             ("DestinationPort", str(port)), ("DestinationPortName", pname)]
        self.data(d, out)

    def ev5(self, out):
        r = self.r
        utc = self.head(5, out)
        if len(self.procs) > 40:
            p = self.procs.pop(r.randrange(len(self.procs) - 20, len(self.procs)))
        else:
            p = self.proc()
        d = [("RuleName", "-"), ("UtcTime", utc), ("ProcessGuid", p["guid"]),
             ("ProcessId", str(p["pid"])), ("Image", p["image"]), ("User", p["user"])]
        self.data(d, out)

    def dll(self, p):
        r = self.r
        if p["app"] is not None and r.random() < 0.35:
            app = p["app"]
            u = p["user"].split("\\")[-1]
            path = app[1].replace("{user}", u) + r.choice(app[2]) + ".dll"
            return path, app[3], app[4], "Valid", app[4] if app[4] != "Notepad++ Team" else "Notepad++"
        y = r.random()
        if y < 0.12:
            if r.random() < 0.5:
                path = r.choice(DOTNET_DLLS)
            else:
                a = r.choice(NI_ASSEMBLIES)
                path = "C:\\Windows\\assembly\\NativeImages_v4.0.30319_64\\%s\\%s\\%s.ni.dll" % (
                    a if len(a) < 20 else a[:12] + hexd(a, 8).lower() + "#", hexd("ni" + a, 32).lower(), a)
            return path, "Microsoft\u00ae .NET Framework", "Microsoft Corporation", "Valid", "Microsoft Corporation"
        name = r.choice(SYSTEM_DLLS)
        if y < 0.16:
            path = "C:\\Windows\\WinSxS\\amd64_microsoft.windows.common-controls_6595b64144ccf1df_6.0.19041.%d_none_%s\\comctl32.dll" % (
                r.choice([1110, 2251, 3636]), hexd(name, 16).lower())
        elif y < 0.30:
            path = WOW64 + name + ".dll"
        else:
            path = SYS32 + name + ".dll"
        return path, "Microsoft\u00ae Windows\u00ae Operating System", "Microsoft Corporation", "Valid", "Microsoft Windows"

    def ev7(self, out, p=None, loaded=None):
        utc = self.head(7, out, advance=loaded is None)
        if p is None:
            p = self.proc()
        if loaded is None:
            path, product, company, status, signer = self.dll(p)
        else:
            path, product, company, status, signer = loaded
        stem = path.rsplit("\\", 1)[1]
        d = [("RuleName", "-"), ("UtcTime", utc), ("ProcessGuid", p["guid"]),
             ("ProcessId", str(p["pid"])), ("Image", p["image"]),
             ("ImageLoaded", path),
             ("FileVersion", "10.0.19041.%d (WinBuild.160101.0800)" % (int(hexd(stem, 3), 16) % 4000)
              if company == "Microsoft Corporation" else "12.%d.0.%d" % (len(stem) % 9, len(path))),
             ("Description", stem.split(".")[0] + " library" if company != "NetSupport Ltd" else "NetSupport Manager"),
             ("Product", product), ("Company", company), ("OriginalFileName", stem),
             ("Hashes", self.file_hashes(path)), ("Signed", "true"),
             ("Signature", signer), ("SignatureStatus", status), ("User", p["user"])]
        self.data(d, out)

    def ev10(self, out):
        r = self.r
        utc = self.head(10, out)
        s, t = self.proc(), self.proc()
        trace = "|".join("%s+%x" % (r.choice(CALLTRACE_MODS), r.randrange(0x1000, 0xfffff))
                         for _ in range(r.randrange(3, 9)))
        d = [("RuleName", r.choice(RULE_NAMES)), ("UtcTime", utc),
             ("SourceProcessGUID", s["guid"]), ("SourceProcessId", str(s["pid"])),
             ("SourceThreadId", str(r.randrange(4, 40000, 4))),
             ("SourceImage", s["image"]),
             ("TargetProcessGUID", t["guid"]), ("TargetProcessId", str(t["pid"])),
             ("TargetImage", t["image"]), ("GrantedAccess", r.choice(ACCESS)),
             ("CallTrace", trace), ("SourceUser", s["user"]), ("TargetUser", t["user"])]
        self.data(d, out)

    def ev11(self, out):
        r = self.r
        utc = self.head(11, out)
        p = self.proc()
        u = r.choice(USERS)
        name = r.choice(TEMP_NAMES).format(r.randrange(1 << 16))
        target = r.choice([
            "C:\\Users\\%s\\AppData\\Local\\Temp\\%s" % (u, name),
            "C:\\Windows\\Temp\\%s" % name,
            "C:\\Windows\\Prefetch\\%s-%s.pf" % (p["image"].rsplit("\\", 1)[1].upper(), hexd(name, 8)),
            "C:\\Users\\%s\\AppData\\Local\\Microsoft\\Windows\\INetCache\\IE\\%s\\%s" % (u, hexd(name, 8), name),
            "C:\\ProgramData\\Microsoft\\Windows\\WER\\Temp\\%s" % name,
            "C:\\Users\\%s\\Documents\\Reports\\Q%d-summary-%d.xlsx" % (u, r.randrange(1, 5), r.randrange(100)),
        ])
        d = [("RuleName", r.choice(RULE_NAMES)), ("UtcTime", utc),
             ("ProcessGuid", p["guid"]), ("ProcessId", str(p["pid"])),
             ("Image", p["image"]), ("TargetFilename", target),
             ("CreationUtcTime", utc), ("User", p["user"])]
        self.data(d, out)

    def regkey(self, p):
        r = self.r
        return r.choice(REG_KEYS).format(exe=p["image"].rsplit("\\", 1)[1],
                                         n=r.randrange(30),
                                         guid=hexd(str(r.randrange(50)), 32))

    def ev12(self, out):
        r = self.r
        utc = self.head(12, out)
        p = self.proc()
        d = [("RuleName", r.choice(RULE_NAMES)),
             ("EventType", r.choice(["CreateKey", "CreateKey", "DeleteKey"])),
             ("UtcTime", utc), ("ProcessGuid", p["guid"]), ("ProcessId", str(p["pid"])),
             ("Image", p["image"]), ("TargetObject", self.regkey(p)), ("User", p["user"])]
        self.data(d, out)

    def ev13(self, out):
        r = self.r
        utc = self.head(13, out)
        p = self.proc()
        d = [("RuleName", r.choice(RULE_NAMES)), ("EventType", "SetValue"),
             ("UtcTime", utc), ("ProcessGuid", p["guid"]), ("ProcessId", str(p["pid"])),
             ("Image", p["image"]), ("TargetObject", self.regkey(p)),
             ("Details", r.choice(REG_DETAILS)), ("User", p["user"])]
        self.data(d, out)

    def ev22(self, out):
        r = self.r
        utc = self.head(22, out)
        p = self.proc()
        q = r.choice(DOMAINS)
        if q.endswith("corp.example.com"):
            res = "::ffff:10.20.0.%d;" % r.randrange(2, 250)
        else:
            res = "type:  5 %s.edgekey.net;::ffff:203.0.113.%d;::ffff:198.51.100.%d;" % (
                q.split(".")[0], r.randrange(1, 255), r.randrange(1, 255))
        d = [("RuleName", "-"), ("UtcTime", utc), ("ProcessGuid", p["guid"]),
             ("ProcessId", str(p["pid"])), ("QueryName", q), ("QueryStatus", "0"),
             ("QueryResults", res), ("Image", p["image"]), ("User", p["user"])]
        self.data(d, out)

    def data(self, d, out):
        for k, v in d:
            out.append("data %s %s\n" % (k, v))
        out.append("end\n")

    # --- NetSupport ----------------------------------------------------
    def netsupport_proc(self, r):
        u = r.choice(USERS)
        folder = r.choice([
            "C:\\Users\\%s\\AppData\\Roaming\\%s\\" % (u, r.choice(["Support", "NSM", "Updater", "KBUpdate"])),
            "C:\\Users\\%s\\AppData\\Local\\Temp\\%s\\" % (u, hexd(str(r.random()), 6)),
            "C:\\ProgramData\\%s\\" % r.choice(["SchCache", "Sync", "RemoteHelp"]),
            "C:\\Users\\%s\\Downloads\\%s\\" % (u, r.choice(["invoice_2024", "Update", "docs"])),
        ])
        guid = "{%s-%04X-%04X-%04X-000000001A00}" % (
            MACHINE, int(self.t) & 0xFFFF, int(self.t) >> 16 & 0xFFFF, r.randrange(0x8000, 0x10000))
        return {"guid": guid, "pid": r.randrange(4, 40000, 4),
                "image": folder + "client32.exe", "cmd": '"%sclient32.exe"' % folder,
                "user": "CORP\\" + u, "app": None, "folder": folder}

    def hit(self, out, p, module):
        self.ev7(out, p, (p["folder"] + module, "NetSupport Remote Control",
                          "NetSupport Ltd", "Valid", "NetSupport Ltd"))


def check_clean(text, what):
    low = text.lower()
    for s in NETSUPPORT_STEMS:
        if s in low:
            sys.exit("bench-gen.py: internal error: %s holds %r" % (what, s))


def generate(seed, events, hits, burst, sink, check=True):
    """Hands the description of each of `events` records to sink(text, hit);
    returns the number of hits."""
    g = Gen(seed)
    # The hits have their own generator, and each takes the place (and the
    # time) of a record that is generated all the same and dropped: the
    # other records are those of the clean log of the same seed and size.
    hr = random.Random(seed * 7919 + 1)
    nhits = min(events, int(round(events * hits)))
    starts = set()
    if nhits:
        if burst:
            nb = max(1, nhits // 6)
            # in the first three quarters, where a --chunks cut leaves them
            starts = set(hr.sample(range(0, max(1, events * 3 // 4 - 6), 6), nb))
        else:
            starts = set(hr.sample(range(events), nhits))
    ids = [e for e, _ in EVENT_MIX]
    weights = [w for _, w in EVENT_MIX]
    emit = {1: g.ev1, 3: g.ev3, 5: g.ev5, 7: g.ev7, 10: g.ev10, 11: g.ev11,
            12: g.ev12, 13: g.ev13, 22: g.ev22}
    done = 0
    ns = None
    ns_left = ns_mod = 0
    out = []
    for i in range(events):
        eid = g.r.choices(ids, weights)[0]
        out.clear()
        emit[eid](out)
        if ns_left or i in starts:
            out.clear()
            if not ns_left:
                ns = g.netsupport_proc(hr)
                ns_left = 6 if burst else 1
                ns_mod = hr.randrange(6)
            g.hit(out, ns, NETSUPPORT[ns_mod % 6])
            ns_mod += 1
            ns_left -= 1
            done += 1
            sink("".join(out), True)
        else:
            text = "".join(out)
            if check:
                check_clean(text, "record %d" % (i + 1))
            sink(text, False)
    return done


# ---- chunk layout ---------------------------------------------------------
#
# libevtx 20181227 does not read a record that ends exactly at the end of its
# 64 KiB chunk (it wants the record to end 4 bytes before), and rmmhunt's
# scanner, which walks records as libevtx does, calls such a chunk damaged.
# The writer fills chunks greedily and so writes such a record now and then
# (about one chunk in 150).  To keep the benchmark's logs whole, the layout
# is decided here: the writer is asked, one chunk at a time, how many of the
# next records fit in a chunk (a chunk's layout depends only on the records
# in it: templates and strings are chunk-local), and where the last one
# would end exactly at the chunk's end, it is moved to the next chunk.  Each
# chunk is then closed with an explicit `chunk` line.

CHUNK = 65536
FILE_HEADER = 4096


def chunk_fits(writer, texts, tmp):
    """Writes texts; returns (records in the first chunk, its last record
    ends exactly at the chunk's end, the file has more than one chunk)."""
    r = subprocess.run([writer, "-", tmp], input="".join(texts).encode(),
                       stdout=subprocess.DEVNULL)
    if r.returncode != 0:
        raise SystemExit("bench-gen.py: %s failed (exit %d)" % (writer, r.returncode))
    with open(tmp, "rb") as f:
        f.seek(FILE_HEADER)
        c = f.read(CHUNK)
        more = len(f.read(8)) > 0
    first, last = struct.unpack_from("<QQ", c, 8)
    free = struct.unpack_from("<I", c, 48)[0]
    return last - first + 1, free > CHUNK - 4, more


def laid_out(writer, texts, tmp, max_chunks=None):
    """(texts with a `chunk` line after each chunk's records, no record
    ending at its chunk's end; how many of texts are in); at most max_chunks
    chunks (the texts that do not fit are left out)."""
    out = []
    s, n, w = 0, len(texts), 64
    chunks = 0
    while s < n and (max_chunks is None or chunks < max_chunks):
        k, exact, more = chunk_fits(writer, texts[s:s + w], tmp)
        if not more and s + w < n:
            w *= 2              # the window did not fill a chunk
            continue
        w = k + k // 4 + 8      # a little more than the next chunk takes
        if exact:
            k -= 1
        if k < 1:
            raise SystemExit("bench-gen.py: a record does not fit in a chunk")
        out.extend(texts[s:s + k])
        out.append("chunk\n")
        s += k
        chunks += 1
    return out, s


def check_layout(path):
    """Every chunk's records end before the last 4 bytes of the chunk."""
    with open(path, "rb") as f:
        f.seek(FILE_HEADER)
        i = 0
        while True:
            c = f.read(CHUNK)
            if len(c) < CHUNK:
                return
            if struct.unpack_from("<I", c, 48)[0] > CHUNK - 4:
                raise SystemExit("bench-gen.py: %s: chunk %d ends with a record libevtx "
                                 "does not read" % (path, i))
            i += 1


def write_log(writer, path, seed, events, hits, burst, max_chunks=None):
    """Writes the log to path with the writer (its first max_chunks chunks'
    worth of records, if given); returns (records, hits) written."""
    texts, is_hit = [], []

    def sink(text, hit):
        texts.append(text)
        is_hit.append(hit)
    generate(seed, events, hits, burst, sink)
    fd, tmp = tempfile.mkstemp(suffix=".evtx", dir=os.path.dirname(os.path.abspath(path)))
    os.close(fd)
    try:
        texts, kept = laid_out(writer, texts, tmp, max_chunks)
    finally:
        os.unlink(tmp)
    if max_chunks is not None and texts.count("chunk\n") < max_chunks:
        raise SystemExit("bench-gen.py: %d records fill only %d of %d chunks; ask for more"
                         % (events, texts.count("chunk\n"), max_chunks))
    r = subprocess.run([writer, "-", path], input="".join(texts).encode())
    if r.returncode != 0:
        raise SystemExit("bench-gen.py: %s failed on %s (exit %d)" % (writer, path, r.returncode))
    check_layout(path)
    return kept, sum(is_hit[:kept])


def _one_small(job):
    i, path, args = job
    k = args.hit_every
    with_hit = k > 0 and i % k == k // 2
    return write_log(args.writer, path, args.seed * 100003 + i, args.events,
                     6.0 / args.events if with_hit else 0.0, True, args.chunks)


def small(args):
    import multiprocessing
    os.makedirs(args.small, exist_ok=True)
    jobs = [(i, os.path.join(args.small, "small-%04d.evtx" % i), args)
            for i in range(args.count)]
    if args.jobs > 1:
        with multiprocessing.Pool(args.jobs) as pool:
            res = list(pool.imap_unordered(_one_small, jobs, chunksize=4))
    else:
        res = list(map(_one_small, jobs))
    print(sum(r for r, _ in res), sum(h for _, h in res))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter,
                                 epilog=__doc__.split("\n", 2)[2])
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--events", type=int, default=10000, help="records (default 10000)")
    ap.add_argument("--hits", type=float, default=0.0, help="fraction of NetSupport hits")
    ap.add_argument("--burst", action="store_true", help="hits as bursts of six loads")
    ap.add_argument("--out", metavar="FILE",
                    help="write the log to FILE with --writer (chunks laid out so that "
                         "libevtx reads every record) and print the hit count")
    ap.add_argument("--chunks", type=int, metavar="N",
                    help="with --out/--small: write exactly N chunks (the first N chunks' worth "
                         "of the --events records, which must be enough), so that the "
                         "file is 4096 + N * 65536 bytes")
    ap.add_argument("--small", metavar="DIR", help="write --count small logs into DIR")
    ap.add_argument("--count", type=int, default=500)
    ap.add_argument("--hit-every", type=int, default=50)
    ap.add_argument("--writer", default="build/tests/evtxwrite")
    ap.add_argument("--jobs", type=int, default=2)
    args = ap.parse_args()
    if args.events < 1 or not 0.0 <= args.hits <= 1.0:
        ap.error("--events must be >= 1 and --hits in 0..1")
    if args.small:
        small(args)
        return
    if args.out:
        print(*write_log(args.writer, args.out, args.seed, args.events, args.hits,
                         args.burst, args.chunks))
        return
    buf = []
    size = 0

    def sink(text, hit):
        nonlocal size
        buf.append(text)
        size += 1
        if size >= 5000:
            sys.stdout.write("".join(buf))
            buf.clear()
            size = 0
    n = generate(args.seed, args.events, args.hits, args.burst, sink)
    sys.stdout.write("".join(buf))
    sys.stdout.flush()
    print(n, file=sys.stderr)


if __name__ == "__main__":
    main()
