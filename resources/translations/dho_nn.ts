<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="nn_NO">
<context>
    <name>CentreService</name>
    <message>
        <source>%1 (all departments)</source>
        <extracomment>Resource types the patient list follows live.</extracomment>
        <translation>%1 (alle avdelingar)</translation>
    </message>
    <message>
        <source>All departments</source>
        <translation>Alle avdelingar</translation>
    </message>
    <message>
        <source>%1 record(s) from the server could not be read and were skipped</source>
        <translation>%1 oppføring(ar) frå tenaren kunne ikkje lesast og vart hoppa over</translation>
    </message>
</context>
<context>
    <name>ConsoleSession</name>
    <message>
        <source>Starting the built-in training backend…</source>
        <translation>Startar den innebygde treningstenaren …</translation>
    </message>
</context>
<context>
    <name>Formatting</name>
    <message>
        <source>now</source>
        <translation>no</translation>
    </message>
    <message>
        <source>%1 min</source>
        <translation>%1 min</translation>
    </message>
    <message>
        <source>%1 h</source>
        <translation>%1 t</translation>
    </message>
    <message>
        <source>%1 d</source>
        <translation>%1 d</translation>
    </message>
    <message>
        <source>Red</source>
        <translation>Raud</translation>
    </message>
    <message>
        <source>Yellow</source>
        <translation>Gul</translation>
    </message>
    <message>
        <source>Green</source>
        <translation>Grøn</translation>
    </message>
    <message>
        <source>No data</source>
        <translation>Ingen data</translation>
    </message>
    <message>
        <source>Red: acute worsening</source>
        <translation>Raud: akutt forverring</translation>
    </message>
    <message>
        <source>Yellow: early worsening</source>
        <translation>Gul: tidleg forverring</translation>
    </message>
    <message>
        <source>Green: within the plan</source>
        <translation>Grøn: innanfor planen</translation>
    </message>
    <message>
        <source>No measurements received</source>
        <translation>Ingen målingar mottekne</translation>
    </message>
    <message>
        <source>COPD</source>
        <translation>KOLS</translation>
    </message>
    <message>
        <source>Heart failure</source>
        <translation>Hjartesvikt</translation>
    </message>
    <message>
        <source>Type 2 diabetes</source>
        <translation>Diabetes type 2</translation>
    </message>
    <message>
        <source>Hypertension</source>
        <translation>Høgt blodtrykk</translation>
    </message>
    <message>
        <source>Cancer follow-up</source>
        <translation>Kreftoppfølging</translation>
    </message>
    <message>
        <source>Rehabilitation</source>
        <translation>Rehabilitering</translation>
    </message>
    <message>
        <source>BP (mmHg)</source>
        <translation>BT (mmHg)</translation>
    </message>
    <message>
        <source>Pulse (/min)</source>
        <translation>Puls (/min)</translation>
    </message>
    <message>
        <source>SpO₂ (%)</source>
        <translation>SpO₂ (%)</translation>
    </message>
    <message>
        <source>Weight (kg)</source>
        <translation>Vekt (kg)</translation>
    </message>
    <message>
        <source>Glucose (mmol/L)</source>
        <translation>Glukose (mmol/L)</translation>
    </message>
    <message>
        <source>Temp. (°C)</source>
        <translation>Temp. (°C)</translation>
    </message>
    <message>
        <source>Resp. rate (/min)</source>
        <translation>Respirasjon (/min)</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>DHO response centre</source>
        <translation>DHO responssenter</translation>
    </message>
    <message>
        <source>&amp;Response centre:</source>
        <translation>&amp;Responssenter:</translation>
    </message>
    <message>
        <source>Response centre</source>
        <translation>Responssenter</translation>
    </message>
    <message>
        <source>Search name or national ID number (Ctrl+F)</source>
        <translation>Søk på namn eller fødselsnummer (Ctrl+F)</translation>
    </message>
    <message>
        <source>Search patients</source>
        <translation>Søk etter pasientar</translation>
    </message>
    <message>
        <source>Patient counts</source>
        <translation>Tal på pasientar</translation>
    </message>
    <message>
        <source>Patient list</source>
        <translation>Pasientliste</translation>
    </message>
    <message>
        <source>Connection status</source>
        <translation>Tilkoplingsstatus</translation>
    </message>
    <message>
        <source>Starting…</source>
        <translation>Startar …</translation>
    </message>
    <message>
        <source>Connecting…</source>
        <translation>Koplar til …</translation>
    </message>
    <message>
        <source>Live</source>
        <translation>Direkte</translation>
    </message>
    <message>
        <source>Catching up…</source>
        <translation>Hentar det som manglar …</translation>
    </message>
    <message>
        <source>Polling (no live connection)</source>
        <translation>Spør jamleg (inga direktekopling)</translation>
    </message>
    <message>
        <source>Reconnecting…</source>
        <translation>Koplar til på nytt …</translation>
    </message>
    <message>
        <source>Offline</source>
        <translation>Fråkopla</translation>
    </message>
    <message>
        <source>no data yet</source>
        <translation>ingen data enno</translation>
    </message>
    <message>
        <source>data up to date (%1)</source>
        <translation>data er oppdaterte (%1)</translation>
    </message>
    <message>
        <source>data is %1 old (as of %2)</source>
        <translation>data er %1 gamle (per %2)</translation>
    </message>
    <message numerus="yes">
        <source>%n patient(s)</source>
        <translation>
            <numerusform>%n pasient</numerusform>
            <numerusform>%n pasientar</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 red · %2 yellow · %3 green</source>
        <translation>%1 raude · %2 gule · %3 grøne</translation>
    </message>
</context>
<context>
    <name>PatientListModel</name>
    <message>
        <source>Status</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Namn</translation>
    </message>
    <message>
        <source>Age</source>
        <translation>Alder</translation>
    </message>
    <message>
        <source>Department</source>
        <translation>Avdeling</translation>
    </message>
    <message>
        <source>Programme</source>
        <translation>Program</translation>
    </message>
    <message>
        <source>Last report</source>
        <translation>Sist rapportert</translation>
    </message>
    <message>
        <source>No measurement</source>
        <translation>Inga måling</translation>
    </message>
</context>
</TS>
