<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en_GB">
<context>
    <name>CentreService</name>
    <message>
        <source>%1 (all departments)</source>
        <extracomment>Resource types the patient list follows live.</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>All departments</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 record(s) from the server could not be read and were skipped</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ConsoleSession</name>
    <message>
        <source>Starting the built-in training backend…</source>
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
        <source>Glucose (mmol/L)</source>
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
    <name>MainWindow</name>
    <message>
        <source>DHO response centre</source>
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
        <source>Patient list</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Connection status</source>
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
    <name>PatientListModel</name>
    <message>
        <source>Status</source>
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
        <source>Last report</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No measurement</source>
        <translation type="unfinished"></translation>
    </message>
</context>
</TS>
