<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en_GB">
<context>
    <name>AccessLog</name>
    <message>
        <source>Opened</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Opened an earlier version</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Looked at the history</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Listed in a search</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Created</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Changed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Deleted</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Counted in a report</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Read</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>nurse</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>department lead</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>superuser</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>administrator</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>personal details</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>measurements</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>alerts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>messages</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>enrolment</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>plan</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>questionnaire answers</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>relatives</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>assessments</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>journal notes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>video appointments</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>video consultations</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>care team</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 resources in all</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the patient&apos;s record</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Refused</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Allowed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Time</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>User</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Role</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Organization</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>What was done</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Patient</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Information</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Result</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Program</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Address</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>From the access log (AuditEvent) the server writes for every read and change of patient data. Times are Norwegian time.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>AccessLogService</name>
    <message>
        <source>The server only shows the access log to department leads and administrators.</source>
        <extracomment>Who may read other users&apos; accesses (the server enforces the same). Entries kept per search (an export of a patient&apos;s year fits easily).</extracomment>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>AccessLogView</name>
    <message>
        <source>Access log</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The access log is for department leads and administrators. You are signed in as %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not available</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Patient (name or national ID):</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Find a patient by name or national ID</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Find</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Find patients</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Patient to show the log for</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Any patient</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;User (name):</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Find a user by name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Find users</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>User to show the log for</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Any user</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;From:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>First day</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;To:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Last day</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Search</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Search the access log</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Cancel</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Stop searching</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>C&amp;SV…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export the access log as CSV</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;XLSX…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export the access log as an Excel workbook</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose a patient or a user (or neither) and a period, then search.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Search status</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Access log entries</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n patient(s) found.</source>
        <translation>
            <numerusform>%n patient found.</numerusform>
            <numerusform>%n patients found.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n user(s) found.</source>
        <translation>
            <numerusform>%n user found.</numerusform>
            <numerusform>%n users found.</numerusform>
        </translation>
    </message>
    <message>
        <source>Searching…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Access log for %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Accesses by %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n access(es) found so far…</source>
        <translation>
            <numerusform>%n access found so far…</numerusform>
            <numerusform>%n accesses found so far…</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Stopped: %n access(es) shown (not all).</source>
        <translation>
            <numerusform>Stopped: %n access shown (not all).</numerusform>
            <numerusform>Stopped: %n accesses shown (not all).</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n access(es) in the period.</source>
        <translation>
            <numerusform>%n access in the period.</numerusform>
            <numerusform>%n accesses in the period.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>The first %n accesses are shown; narrow the period to see all.</source>
        <translation>
            <numerusform>The first %n access is shown; narrow the period to see all.</numerusform>
            <numerusform>The first %n accesses are shown; narrow the period to see all.</numerusform>
        </translation>
    </message>
    <message>
        <source>Period</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Made</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Made by</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export the access log</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>CSV files (*.csv)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Excel workbooks (*.xlsx)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>access-log-%1-%2.%3</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>AlertListModel</name>
    <message>
        <source>High</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Medium</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Low</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Raised</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Priority</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Alert</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>AlertQueueView</name>
    <message>
        <source>Alert queue</source>
        <extracomment>Flash periods (ms) for a high alert and for an escalated one. 10 frames a second keep the pulse smooth; each frame repaints only the visible flashing cards. Rows the side lists show: a 768-pixel screen keeps room for the cards, a 1080 one shows more. The closed period whose &quot;since we closed&quot; list the nurse marked as reviewed. Why no sound will be heard (&quot;&quot; while a player is there).</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Alerts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Alert counts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sound status</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Mute sound</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Mute the alert sound for 5 minutes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ctrl+M. Muting does not claim anything.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Since we closed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Alerts that came while the centre was closed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Re&amp;viewed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Mark the since-we-closed list as reviewed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Hide this list until the centre has closed again. The alerts stay in the queue.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Alerts, one card per patient</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Adherence</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Missing measurements, oldest first</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Adherence list</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Message</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Copy &amp;journal note</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Copy the journal note to the clipboard</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Claim</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Claim the alert (C)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Re&amp;lease</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Release the claim (U)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Co&amp;mment…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Comment (M)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Snooze…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Snooze (S)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Forward…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Forward (F)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Resolve…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Resolve (R)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Open patient</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open the patient (Enter)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Keyboard shortcuts (F1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Resolved: %1. The draft journal note is ready to copy.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Journal note copied to the clipboard.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The patient has been asked for a new measurement.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Adherence – missing measurements: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Adherence: nothing missing</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Since we closed (%1) – alerts: %2, adherence: %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No alert sound on this computer.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No sound</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sound on</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sound muted for %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Un&amp;mute</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 high · %2 medium · %3 low</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>AlertService</name>
    <message>
        <source>The server did not accept the change: %1</source>
        <extracomment>Task builder: given the newest Task, the updated Task, or None if the action no longer applies. Set when the Task was closed but the record resources could not be written yet. patient id, what happened instead (&quot;Claimed by Kari Nordmann at 10:42&quot;). action name (&quot;claim&quot;, &quot;unclaim&quot;, &quot;comment&quot;, &quot;snooze&quot;, &quot;forward&quot;, &quot;remeasure&quot;), patient id Messages to patients in their language (the department&apos;s templates or defaults). (practitioner id, name) of the department lead escalations go to. The department a patient is enrolled in (the centre&apos;s EpisodeOfCare), for Tasks that do not say where they are routed; the workbench sets it. The server escalates (announced): no escalation from this console. Service hours of the watched centre (default Monday-Friday 08:00-15:30). Escalation messages to the lead not yet accepted by the server: alert id → (alert, minutes, when to try again, attempts). Retried on the clock until sent. (patient id, versions of the card&apos;s alerts) -&gt; whether its value looks like an error.</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Something went wrong: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The alert is closed, but the journal note could not be saved yet: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not signed in as a person: alerts can be seen, not claimed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>You are signed in with a token that is not a person&apos;s: you can see alerts, but not claim, comment or resolve them.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This alert is no longer in the queue.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The alert keeps changing; try again.</source>
        <extracomment>Task id → the unacknowledged escalation messages about it.</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Someone else changed this alert; the queue shows the latest.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Already resolved by %1 at %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The alert was cancelled.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The escalation to the department lead could not be sent yet; it is kept and sent again: %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>AlertText</name>
    <message>
        <source>High priority</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Medium priority</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Low priority</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>SpO₂</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Pulse</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Blood pressure</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Temperature</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Blood glucose</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Weight</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Respiratory rate</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Weight gain</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Weight loss</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Missing measurement</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Questionnaire answer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Patient asks to be contacted</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Other alert</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Contacted the patient</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Advised the GP</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Referred to the out-of-hours clinic (legevakt)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Called 113</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Measurement error</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No action needed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>red</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>yellow</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Systolic BP</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Diastolic BP</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Weight gain in %1 days</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 %2 (%3 limit %4)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A measurement</source>
        <extracomment>The measurement&apos;s own name (the threshold rule of each kind says it). Rules whose server description only says again what the rule&apos;s name says. How our own server&apos;s descriptions start (Bokmål), so a fallback never says it twice.</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 missing since %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Answer %1: “%2” – %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Asks to be contacted: “%1”</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>(%1 earlier)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>high</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>medium</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>low</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Claimed by %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Claimed by %1 at %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Snoozed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Snoozed until %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Escalated</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>⚠ Possible measurement error: the new measurement was normal</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Confirmed by a new measurement</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>⚠ Possible measurement error: a new measurement is requested</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>⚠ Possible measurement error</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>☾ Came while closed (%1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> · patient advised (legevakt)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 · %3
%2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 · %2 · %3
%4</source>
        <extracomment>The console escalates by its own clock (False when the server announces that it escalates: then only the server&apos;s escalated-at counts). Versions of alerts seen closed, so a late older open version cannot revive them. patient id -&gt; (card, age in whole minutes, display data) of the last build. When the bundles next change with the clock (a snooze ends, an alert escalates).</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> (patient advised)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>CallListModel</name>
    <message>
        <source>Started</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Duration</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Outcome</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>in progress</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>CentreService</name>
    <message>
        <source>%1 (all departments)</source>
        <extracomment>Resource types the patient list follows live. How the latest values were found (&quot;$lastn&quot; or &quot;window+per-patient&quot;). Patients whose plan states limits of its own (the others are on the templates).</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>All departments</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n record(s) from the server could not be read and were skipped</source>
        <extracomment>The measurements of one live batch, after the list has them (open patient views). What each patient&apos;s active ServiceRequests say about limits, by ServiceRequest id (live plan edits replace one of them); entries, not the resources (memory). Patients asked for once already (enrolled while the console runs, or not ours). Newest meta.lastUpdated seen in the first load: the live feed catches up from there.</extracomment>
        <translation>
            <numerusform>%n record from the server could not be read and was skipped</numerusform>
            <numerusform>%n records from the server could not be read and were skipped</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ChartPanel</name>
    <message>
        <source>Show as table</source>
        <extracomment>Series colours, darkest first, so their greys stay apart too.</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show %1 as a table</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Chart: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Table: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show as chart</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>CommentDialog</name>
    <message>
        <source>Comment – %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Comment on the alert</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Comment</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>What did you do or find? (Ctrl+Enter saves)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Save comment</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ConsoleSession</name>
    <message>
        <source>nurse</source>
        <extracomment>Seconds after opening the browser before the sign-in address is shown as well.</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>department lead</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>superuser</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>administrator</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Quit the console?</source>
        <extracomment>Longest wait for a step of the shutdown (seconds; some steps get a multiple). The embedded backend `console.app` started before the window was built (its start overlaps the console&apos;s own imports and window on the other core), and its start. The server&apos;s clock (fed from every answer): ages, timers and the times we write. The TRENING / TRAINING mark, switched on from the server&apos;s profile (never the URL).</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Quit anyway</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Stay and send</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Starting the built-in training backend…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not a training server</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Unknown user</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The alert sound is switched off in the settings (sound/enabled): alerts are shown but not heard.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sound off</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No sound output found: alerts are shown but will not be heard.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No sound output</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 is not a training server (its profile is “%2”): the console does not start training mode on it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Signed in</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>You can close this tab and go back to the DHO console.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sign-in did not succeed. Try again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>TRAINING USER</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No secure key store</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No secure key store on this computer: you must sign in again at every start.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>DebriefView</name>
    <message>
        <source>Debrief</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The group</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Trainee</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Scenario</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>To claim</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>To open</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>To resolve</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Outcome chosen</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Expected</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Alerts missed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Messages</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Escalations</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Score</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Notes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Scores per trainee and scenario</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Notes on the chosen row</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Refresh</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Refresh the debrief</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;PDF…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save the debrief as a PDF</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No scores yet: the debrief is ready once trainees have worked.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>✓ right</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>✗ wrong</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>none (✗ not resolved)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Expected response: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>PDF documents (*.pdf)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>debrief-%1.pdf</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Debrief of the training session</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Group: %1 trainees · mean score %2 of 100 · outcomes correct %3 of %4 · alerts missed %5 · median time to claim %6</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Made %1 by %2 · DHO training</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Page %1 of %2</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Formatting</name>
    <message>
        <source>now</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 min</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 h</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 d</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Red</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Yellow</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Green</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No data</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Red: acute worsening</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Yellow: early worsening</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Green: within the plan</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No measurements received</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>COPD</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Heart failure</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Type 2 diabetes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Hypertension</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancer follow-up</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Rehabilitation</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Wound care</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Dementia, with relatives</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>BP (mmHg)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Pulse (/min)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>SpO₂ (%)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Weight (kg)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Gluc. (mmol/L)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Temp. (°C)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Resp. rate (/min)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ForwardDialog</name>
    <message>
        <source>Forward – %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Forward the alert</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Forward to</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Department: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Person: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Message</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Forward &amp;to:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Message:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Forward</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>HandoverView</name>
    <message>
        <source>Open and claimed alerts (%1)</source>
        <extracomment>Body text of the printed and exported handover (points): readable on paper.</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Patient</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Priority</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Alerts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>State</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Waiting</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No open alerts.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Alerts resolved this shift (%1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Alert</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Outcome</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Resolved by</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>At</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No alerts resolved this shift.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Adherence list: missing measurements (%1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Missing</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No missing measurements.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The patient got the plan&apos;s advice.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Since we closed (%1): %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Came</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Nothing came while the centre was closed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Claimed by %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Still open</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Closed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Patients with new deviations this shift (%1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Worst priority</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Status</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No new deviations this shift.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Handed over by %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Shift from %1 to %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Shift handover</source>
        <extracomment>More sections (adherence items, &quot;since we closed&quot;): (since, now) -&gt; sections.</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>handover-%1.pdf</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Shift &amp;started at:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Shift start</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Update</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Update the handover</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Export PDF…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export the handover as PDF</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Print…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Print the handover</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Handover summary</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export handover</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>PDF documents (*.pdf)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Inbox</name>
    <message>
        <source>Escalated to you</source>
        <extracomment>&quot;escalated&quot; or &quot;forwarded&quot; Why it is here, from the escalation message or the Task&apos;s last note.</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Forwarded to you</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Claimed by you</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Snoozed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Nobody has it</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Priority</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Patient</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reason</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Why in your inbox</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Waiting</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>State</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>InboxView</name>
    <message>
        <source>Escalation inbox</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Alerts escalated to you (nobody claimed them in time) and alerts colleagues forwarded to you. Claim one to take it, or hand it back to its department.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Alerts in your inbox</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Nothing is escalated or forwarded to you.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Claim</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Claim the selected alert</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Hand back</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Hand the selected alert back to its department</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Open patient</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open the selected patient</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Inbox status</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Escalation inbox (%1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Claimed: it is yours now.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Handed back to the department.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>LockOverlay</name>
    <message>
        <source>Training users</source>
        <extracomment>Input events that may only reach the panels while locked.</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Role and centre</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>User name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sign in as the &amp;chosen training user</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sign in as the chosen training user</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sign-in address</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Copy address</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Copy the sign-in address</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The console is locked</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Patient data is hidden after a period without activity. Alerts still count and sound. Sign in again to continue.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Unlock (sign in again)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Unlock by signing in again</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sign in</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sign in with your user account to see the patients of your response centre. The sign-in page opens in your web browser.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Sign in…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sign in in the web browser</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This is a training centre with synthetic patients. Choose a training user to sign in as, or sign in in the web browser.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Training users (synthetic data; every one has the training password):</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sign in in the &amp;web browser…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Finish signing in in the web browser window that opened, then come back.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No browser window came up? Open this address in a web browser on this computer and sign in there; the console continues by itself.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No web browser could be opened. Open this address in a web browser on this computer and sign in there; the console continues by itself.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Waiting for the sign-in in a web browser…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Signing in as %1…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>DHO response centre – locked</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>DHO – locked</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Copied</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>DHO response centre</source>
        <extracomment>Columns the user may hide (View &gt; Columns); status and name always show. Hidden on a narrow window (under 1600 px) until the user shows them: the name&apos;s tooltip and the alert cards name the department and programme too. Ctrl+Q or File &gt; Quit: the session asks about unsent messages, as on closing. Ctrl+Shift+H, File &gt; Shift handover or the top-row button. A workstation time -&gt; the server&apos;s (simulated) time (ServerClock.at), for the times the status bar shows; the age of the data stays in real seconds.
----------
Below this window width, the columns a nurse needs least are hidden unless chosen.</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Response centre:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Response centre</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Search name or national ID number (Ctrl+F)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Search patients</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Patient counts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Signed in as</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Lock</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Hide patient data now (Ctrl+L)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Lock the console</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sign &amp;out</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sign out</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Handover</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Shift handover (Ctrl+Shift+H)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Shift handover</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Alert queue</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Patient list and open patients</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Patient list</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Patients</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Connection status</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open alerts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Who raises alerts</source>
        <extracomment>Lasting warnings, one label each (key -&gt; label), in the order they arrived.</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Shift &amp;handover…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Columns</source>
        <extracomment>Columns the user showed or hid from View &gt; Columns (else: by window width).</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Notice</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;File</source>
        <extracomment>The menu bar&apos;s menus, in this order; each appears once something puts an action in it.</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Training</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Alerts by: this console</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The server raises no alerts: this console checks every new value against the patient&apos;s own limits and creates the alert (once, however many consoles run).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Alerts by: the server</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The server&apos;s rules raise the alerts.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not connected</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not connected to the server: new values, alerts and colleagues&apos; changes are not shown until the connection is back.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Starting…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Connecting…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Live</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Catching up…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Polling (no live connection)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reconnecting…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Offline</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no data yet</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>data up to date (%1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>data is %1 old (as of %2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n patient(s)</source>
        <translation>
            <numerusform>%n patient</numerusform>
            <numerusform>%n patients</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 red · %2 yellow · %3 green</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>MeasurementPanel</name>
    <message>
        <source>Table</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show %1 as a table</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Limits…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Limits and measuring times for %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Trend: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No measurements in this period</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Table: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Plot</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show %1 as a plot</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no limits</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>standard limits (template), not the patient&apos;s own</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the patient&apos;s own limits</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: %2 %3 in %4 days</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Latest: %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>MeasurementTableModel</name>
    <message>
        <source>Time</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Level</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>MessagesView</name>
    <message>
        <source>Collaboration between services – not visible to the patient</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Messages with the patient and relatives</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Messages between services</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>To: the patient</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Quick replies</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Quick reply:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Edit quick replies…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Edit the department&apos;s quick replies</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Messages to patients…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Edit the department&apos;s messages to patients</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Write a reply (Ctrl+Enter sends)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Write to the collaborating services (Ctrl+Enter sends)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reply to the patient</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Message to the services</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Send</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Send the message</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Send &amp;again</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Send the selected unsent message again</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Also to %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose a quick reply…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>One quick reply per line. They are shared by everyone in the department.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Quick replies, one per line</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Messages</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Start &amp;video call</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Start a video call with the patient</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Threads</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Message status</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Messages – %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Loading messages…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Patient and relatives</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Between services (not visible to the patient)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>(%1 unread)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Something went wrong: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The patient has no department to store quick replies for.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Quick replies saved.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>MessagingService</name>
    <message>
        <source>Thank you for the measurement, we will call you today.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Thank you, everything looks fine.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Please measure again in 15 minutes.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>We have received your message and will get back to you.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Outbox</name>
    <message>
        <source>Messages not sent: %1. They are kept only in this window&apos;s memory and will be lost if you close the console.</source>
        <extracomment>Server answers worth trying again: the request may not have been handled at all. 409: a serialization conflict (Medplum answers it to concurrent conditional creates); the create is conditional, so sending it again cannot make a second message. An `OutgoingMessage` changed state (sending → sent / failed, or another attempt). (OutgoingMessage, stored Communication dict) once the server has it. Number of unsent messages (sending or failed) changed.</extracomment>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>PatientListModel</name>
    <message>
        <source>Status</source>
        <extracomment>The patient&apos;s plan states limits of its own (else every value is on the template). Sort value for the model&apos;s current sort column (None sorts last either way). Display texts per column, valid for the minute in `display_minute` (ages move on). What the table&apos;s cell delegate paints, per column; valid as long as `display` is. How often live changes may move rows in the console (values change in place at once). Live changes move rows at most this often (0: at once). Values change in place at once; rows jumping several times a second is hard to read and each move repaints the whole table. Rows per triage level among the visible ones, kept up to date by `update`, so a live batch does not count 10,000 rows again for the status bar; None: count anew. Visible rows whose place in the order may have changed since the last re-sort (their sort value or name changed, or they arrived); None: anything may have. Level of each patient&apos;s open alerts (from the alert queue), folded into the status. Each patient&apos;s own limits from the plan; patients absent are on the templates.</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Age</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Department</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Programme</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Unread</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Last report</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>has open alerts in the queue</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>standard limits: the plan states no limits of its own</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No measurement</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the patient&apos;s own limits</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>standard limits</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n unread message(s)</source>
        <translation>
            <numerusform>%n unread message</numerusform>
            <numerusform>%n unread messages</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>PatientPage</name>
    <message>
        <source>Patient</source>
        <extracomment>Roles that may change a patient&apos;s thresholds and schedule. Plots kept ready for the next patient view: one per kind of measurement a plan can have.</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Overview</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Messages</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>PatientTextsEditor</name>
    <message>
        <source>Request to measure again</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reminder about a missing measurement</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Video call invitation</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Bokmål</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Nynorsk</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>English</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Messages to patients</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>What the console sends patients, in the patient&apos;s own language. The department shares these texts; an empty text uses the built-in one. Placeholders: {first_name}, {measurement}, {due}, {link}, {nurse}, {service}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Which message</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Language the patient reads</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Message:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Language:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Text of the message</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Preview</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Status</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Use the &amp;default</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Save</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Close</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Unknown placeholder: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The patient reads: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Saving…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Saved.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not saved: %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>PatientView</name>
    <message>
        <source>respiration rate</source>
        <extracomment>Order of the plots when the plan does not say (the patient list&apos;s order).</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>SpO₂</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>air or oxygen</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>systolic BP</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>pulse</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>consciousness</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>temperature</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>(standard)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Systolic yellow</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Systolic red</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Yellow</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Red</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Systolic</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Diastolic</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Patient</source>
        <extracomment>Ready-built plots (the workbench keeps a pool filled in idle time).</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Period shown</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Loading status</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Alerts in the period</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Alerts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Questionnaire answers</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Questionnaire answers</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Video calls</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Video calls</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>National ID number</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Show</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show the full national ID number (logged)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>NEWS2 score</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Could not load: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Loading…</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n measurement(s) loaded</source>
        <translation>
            <numerusform>%n measurement loaded</numerusform>
            <numerusform>%n measurements loaded</numerusform>
        </translation>
    </message>
    <message>
        <source>Loading history… %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>National ID: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Department: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Programme: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Responsible nurse: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>GP: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Relatives: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>none registered</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>from the server</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>computed here</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>NEWS2: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>(partial)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Missing: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Your role may view but not change the plan (read-only).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No plan and no measurements for this patient.</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n year(s)</source>
        <translation>
            <numerusform>%n year</numerusform>
            <numerusform>%n years</numerusform>
        </translation>
    </message>
    <message>
        <source>Alert: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Missing</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>QuestionnaireModel</name>
    <message>
        <source>Answered</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Questionnaire</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Flagged answers</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>none</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ResolveDialog</name>
    <message>
        <source>Resolve alert – %1</source>
        <extracomment>Draft note for (outcome, comment); the service&apos;s `draft_note` bound to the patient.</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Resolve alert</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Alert summary</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A new measurement was within the limits: this may be a measurement error.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The value looks implausible compared with the patient&apos;s recent values. Check with the patient before you call it a measurement error.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Outcome</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose what was done; nothing is chosen for you.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Comment (goes into the note):</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Comment</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Draft journal &amp;note:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Draft journal note</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Copy note</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Copy the journal note to the clipboard</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ask for a new &amp;measurement</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ask the patient for a new measurement</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Resolve</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Resolve the alert</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Copied ✓</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New measurement requested ✓</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose an outcome to see the draft note.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ReviewService</name>
    <message>
        <source>The review could not be loaded: %1</source>
        <extracomment>Roles that may open the review; per-nurse figures are for leads and administrators only. Days per request: a week of a 2,000-patient centre is one modest answer. Requests in flight at once (the server works on one while the console decodes another).</extracomment>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ReviewTables</name>
    <message>
        <source>%1 min</source>
        <extracomment>How a column&apos;s values are shown: text, int, number (1 decimal), minutes (from seconds), percent (from a share 0–1), date. Row → patient id, for tables a lead can open a patient from.</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 h %2 min</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Week %1 (%2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Wk %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Monday</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tuesday</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Wednesday</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Thursday</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Friday</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Saturday</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sunday</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Adherence items (missing measurements)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Alerts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Claimed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Median to claim</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>p90 to claim</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Resolved</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Median to resolve</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>p90 to resolve</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Still waiting</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Times are counted in opening hours. Median: the middle value; p90: 9 in 10 alerts were faster.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Key figures</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Figure</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Value</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Patients followed at the end of the range</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Enrolled in the range</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Discharged in the range</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Nurses with a role here (people, not full-time posts)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Patients per nurse</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Nurses needed at %1 patients per nurse</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Clinical alerts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>High-priority alerts claimed within %1 min</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Closed as measurement error</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Escalated</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Waited for the centre to open</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Still open at the end of the range</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Measurement adherence</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Patients whose adherence is falling</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Video consultations held</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Caseload per department</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Department</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Patients</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Enrolled</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Discharged</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Nurses</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Median follow-up (days)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>All</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Planning figure: %1 patients per full-time nurse. Nurses of the centre itself count in the total only.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Caseload per programme</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Programme</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Patients followed, enrolments and discharges per week</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Week</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Patients at the end of the week</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Alerts per day by priority</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Alerts per week by priority</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Day</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Adherence items</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Alerts by rule</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Rule</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Alerts by department</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Clinical alerts per 100 patient-days</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Per 100 patient-days</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No department</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Outcomes of resolved alerts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Outcome</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Share</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Closed automatically (the measurement came): %1. Escalated: %2.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Response times by priority</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Priority</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>High-priority alerts claimed within %1 min: %2 of %3.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Response times by department (clinical alerts)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Response times per week (clinical alerts)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Response times by weekday raised (clinical alerts)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Weekday</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Response times by hour raised (clinical alerts)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Hour</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Scheduled</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Delivered</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Adherence</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Measurement adherence per programme</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Scheduled: the measurements of each plan&apos;s times inside the range and the enrolment. A day&apos;s measurements count up to that day&apos;s schedule.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Measurement adherence per department</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Measurement adherence per week and programme</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Patient</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Before</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Last %1 days</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Whole range</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Falling: the last %1 days at least %2 percentage points below the days before. Open a patient with Enter or a double click.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Measurement adherence per patient</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Benefits (estimate)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Patient-weeks</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Video consultations</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Messages from patients</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>of them read</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Messages sent</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Alerts handled without referral</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Alerts resolved</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Baseline visits per patient-week</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Minutes per visit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Visits replaced (estimate)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Hours saved (estimate)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Per nurse (counts and times, not a ranking)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Nurse</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Patients as responsible nurse</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Listed by name. For the department lead only.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This is an estimate, not a measurement: patient-weeks followed × the visits per patient-week the department had before DHO (its baseline, entered by the lead) × the minutes per visit. Home visits still made are not recorded here and are not subtracted. Without a baseline no estimate is shown.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ReviewView</name>
    <message>
        <source>Mon</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tue</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Wed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Thu</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Fri</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sat</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sun</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>closed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>(default: the centre has published no opening hours)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Review</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not available</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The review is for department leads, superusers and administrators. You are signed in as %1, so it is not shown. Ask your department lead if you need these figures.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>a user without one of these roles</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Range:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Range</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Last 7 days</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Last 30 days</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Last 90 days (quarter)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Previous week</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Previous month</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Previous quarter</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This month</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Custom</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>First day</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Last day</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Department:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Department</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>All departments</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Update</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Update the review (F5)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Loading progress</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Loading %p %</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Cancel</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancel loading</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>C&amp;SV…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export the review as CSV</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;XLSX…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export the review as an Excel workbook</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;PDF report…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export a printable PDF report</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Where the figures come from</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose a range; the figures load in the background.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Review sections</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Overview</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Patients followed per week</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Planning figure: patients per full-time nurse</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Planning &amp;figure (patients per nurse):</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Alerts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Alerts by priority</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Response &amp;times</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Time to claim per week</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Target for claiming high-priority alerts (minutes)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ta&amp;rget for high priority:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A&amp;dherence</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Adherence per week</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Benefits</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>How the benefits are estimated</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Per &amp;nurse</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Loading cancelled. Press Update (F5) to load again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Opening hours: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Figures from the server&apos;s review operation in %1 s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Figures from standard FHIR searches in %1 s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Per-nurse figures are for department leads only</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 to %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Baseline before DHO (nullpunktsmåling):</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Visits per patient per week</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Minutes per visit (with travel)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Visits per patient per week before DHO: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Minutes per visit: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Patients at the end of the week</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>patients</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Adherence items</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>alerts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Median to claim</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>p90 to claim</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>minutes of opening hours</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>% of scheduled measurements</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Response centre</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Made</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Made by</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Opening hours</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Review – %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>review-%1-%2.%3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>CSV files (*.csv)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Excel workbooks (*.xlsx)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>PDF documents (*.pdf)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export the review</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Could not save %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Adherence for every patient is in the CSV and XLSX exports, not printed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Range %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Made %1 by %2 · DHO review</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Page %1 of %2</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ShortcutsHelp</name>
    <message>
        <source>J or ↓</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Next alert</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>K or ↑</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Previous alert</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>C or Space</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Claim the alert</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>U</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Release the claim</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Enter</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open the patient</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>R</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Resolve (choose an outcome)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>M</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Comment</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>S</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Snooze</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>F</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Forward to a department or a person</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>N</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ask the patient for a new measurement</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ctrl+M</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Silence the sound for 5 minutes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>F1 or ?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This help</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>1–6</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>In the resolve dialog: pick the outcome</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ctrl+Enter</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>In a dialog: save / resolve</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Esc</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Close a dialog</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Keyboard shortcuts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Keys</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Action</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SnoozeDialog</name>
    <message>
        <source>Snooze – %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Snooze the alert</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Snooze for</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n minute(s)</source>
        <translation>
            <numerusform>%n minute</numerusform>
            <numerusform>%n minutes</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n hour(s)</source>
        <translation>
            <numerusform>%n hour</numerusform>
            <numerusform>%n hours</numerusform>
        </translation>
    </message>
    <message>
        <source>Reason</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>e.g. waiting for a new measurement</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Snooze &amp;for:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Reason:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Snooze</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Threads</name>
    <message>
        <source>mother</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>father</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>parent</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>daughter</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>son</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>child</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>wife</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>husband</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>spouse</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>partner</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>sister</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>brother</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>sibling</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>grandchild</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>friend</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>neighbour</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Patient: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Patient</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>unknown name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Relative: %1 (%2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Relative: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Health worker</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Nurse %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Service</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Unknown sender</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Read %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not read yet</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Request to measure again</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Asks to be contacted</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not sent – try again</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sending …</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sent</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>You</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ThresholdEditor</name>
    <message>
        <source>Thresholds and times: %1</source>
        <extracomment>Plausible values per measurement; outside them the input is refused as out of range.</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Alert limits (a value below low or above high reaches the level)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Yellow, low</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Yellow, high</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Red, low</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Red, high</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>none</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Measuring times</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Measuring times (HH:MM, separated by commas)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Times of day:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Effect of the proposed limits</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Save</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save thresholds and times</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Close</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Close without saving</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Your role may view but not change the plan.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The plan has no limits of its own: showing the standard template. Saving makes them the patient&apos;s own.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The patient&apos;s own limits (version %1).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not a number</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Outside %1–%2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Red low must be below yellow low: the red band lies outside the yellow one.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Red high must be above yellow high: the red band lies outside the yellow one.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Yellow low must be below yellow high.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Red low must be below red high.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>“%1” is not a time (HH:MM)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No measurements in the last 30 days.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Correct the input to see its effect.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Last 30 days: current limits %1 yellow and %2 red alerts; proposed %3 yellow and %4 red.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Saving…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not saved: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Saved.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>another user</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not saved: %1 changed this plan at %2. Their version is now the base; your values are still in the fields. Check them and save again.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>TimeRangeSelector</name>
    <message>
        <source>Period:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>24 h</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Last 24 hours</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>7 d</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Last 7 days</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>30 d</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Last 30 days</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>90 d</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Last 90 days</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>1 year</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Last year</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Custom…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Custom period</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Period start</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Period end</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;From</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;to</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>TrainerView</name>
    <message>
        <source>Oxygen saturation (SpO2)</source>
        <extracomment>Units of the measurements a trainer may inject (the scenario format&apos;s names).</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Pulse</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Body temperature</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Body weight</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Blood glucose</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>nothing loaded</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>ready to start</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>running</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>paused</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>finished</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>claimed the alert</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>opened the patient</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>resolved the alert</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>sent a message</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>escalated</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>escalated by the server (not claimed in time)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>started a video call</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>forwarded</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>wrote a comment</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>snoozed the alert</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>released the alert</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Trainer&apos;s controls</source>
        <extracomment>FHIR Task priorities (an &quot;alert&quot; action&apos;s detail).</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The trainer&apos;s controls are for superusers and administrators. Your role (%1) does not give access to them; your own debrief is under Training &gt; My debrief.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not for your role</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>1. Choose</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>S&amp;cenarios (tick the ones to run):</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Time</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Scenario ev&amp;ents:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Scenario</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>an alert was raised</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Training: the trainer’s controls</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Patient group</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Duration</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Patients</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Scenarios</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>T&amp;rainees (training accounts):</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Trainees</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Load chosen</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Load the chosen</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Load a scenario file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Load a scenario f&amp;ile…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>E&amp;xport scenario…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export the scenario file to share</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Problem</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>2. Run</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Start</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Start</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Pause</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Pause</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>St&amp;ep to next event</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Step</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Rese&amp;t</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reset</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Speed (simulated minutes per minute)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Spee&amp;d:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Run &amp;faster</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Set the speed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Session state</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>3. Inject an event now</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Scenario patient</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>What to inject</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A measured value</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A message from the patient</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A missed measurement</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Measurement</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Value</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Message text</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>What the patient writes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Inject now</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>In&amp;ject now</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>P&amp;atient:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Kind:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Measurement:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Value:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Messa&amp;ge:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Trainees&apos; actions as they &amp;happen:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Trainee</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Action</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Patient</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Detail</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Trainees&apos; actions</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Event</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Done</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Scenario events</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show the debrief</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show the de&amp;brief</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>State: nothing loaded. Choose and load scenarios.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>State: %1 · simulated time %2 · speed × %3 · %4 scenarios, %5 trainees</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>✓ done</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>… to come</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>trainee %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>line %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>field “%1”</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The scenario file was not loaded</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tick at least one scenario to load.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Scenario files (*.yaml *.yml *.json *.toml)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Could not read %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose a scenario to export.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export the scenario file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose a scenario patient first.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Write the message the patient sends.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>TrainingFeature</name>
    <message>
        <source>&amp;Trainer&apos;s controls…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Debrief…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>My &amp;debrief…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Restart in training mode</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Only on a training server (dho-console --training).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Training</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Debrief</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>TrainingMark</name>
    <message>
        <source>%1 — training server with synthetic patients: nothing here is real, and nothing here reaches a real patient.</source>
        <extracomment>How often the top-level windows are looked over (ms): a dialog is marked before a person can read its title.</extracomment>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>TrainingService</name>
    <message>
        <source>This server is not a training server: scenarios can only be loaded on a training backend (dho-console --training).</source>
        <extracomment>Seconds between status polls while a session is loaded. A scenario file was refused: (text, line or 0, field or &quot;&quot;). Anything else that went wrong, as a sentence for the trainer. The server is not a training backend: nothing may be loaded. The text of the last scenario file loaded (exported as it was).</extracomment>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>TrendPlot</name>
    <message>
        <source>Plus and minus zoom, arrow keys move in time, Home resets the view, Ctrl+arrow keys step from measurement to measurement.</source>
        <extracomment>Show point symbols only when at most this many points are visible. The zone times are shown in (the owner sets it: a response centre&apos;s, not the computer&apos;s).</extracomment>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>VideoCallDialog</name>
    <message>
        <source>Video call</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Video call with %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Video call with the patient</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No relative</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Also invite a relative</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Also &amp;invite:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Meeting link</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Made when the call starts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Meeting &amp;link:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Call status</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Status:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Outcome of the call</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>What was agreed? Saved with the call when you end it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Outcome:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Address of the video service</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>for example video.kommune.no</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Video &amp;service:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No video service is set up on this computer yet. Enter the one your municipality uses (ask IT if unsure); it is remembered for the next calls.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Starting books the call, sends the link to the patient (and the relative) in the message thread and opens it in your browser.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Start video call</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Start the video call</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Open link again</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open the meeting link again</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Copy link</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Copy the meeting link</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;End call</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>End the call and save the outcome</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Close</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Close the window</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Problem</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>In progress – %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ended – lasted %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>That is not a host name. Enter only the name, e.g. video.kommune.no.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Starting…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Could not complete: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not started</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Workbench</name>
    <message>
        <source>Escalation inbox</source>
        <extracomment>Longest wait for each step of `stop` (seconds). The server&apos;s clock (console.domain.clock): every model, service and view reads it. Who raises alerts: &quot;server&quot; (its rules) or &quot;console&quot; (`ConsoleAlertRaiser`). Patient views take their plots ready-built from here (filled after `load`). Messages to patients in the patient&apos;s language, from the department&apos;s templates.</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>An alert could not be written to the server: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Shift handover</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Review…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Escalation &amp;inbox…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Access log…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Review</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Inbox</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Access log</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Inbox: %1 (Ctrl+Shift+I)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Alerts: %1 high · %2 medium · %3 low</source>
        <translation type="unfinished"></translation>
    </message>
</context>
</TS>
