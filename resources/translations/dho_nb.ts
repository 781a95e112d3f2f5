<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="nb_NO">
<context>
    <name>CentreService</name>
    <message>
        <source>%1 (all departments)</source>
        <extracomment>Resource types the patient list follows live.</extracomment>
        <translation>%1 (alle avdelinger)</translation>
    </message>
    <message>
        <source>All departments</source>
        <translation>Alle avdelinger</translation>
    </message>
    <message>
        <source>%1 record(s) from the server could not be read and were skipped</source>
        <translation>%1 oppføring(er) fra serveren kunne ikke leses og ble hoppet over</translation>
    </message>
</context>
<context>
    <name>ConsoleSession</name>
    <message>
        <source>Starting the built-in training backend…</source>
        <translation>Starter den innebygde treningsserveren …</translation>
    </message>
</context>
<context>
    <name>Formatting</name>
    <message>
        <source>now</source>
        <translation>nå</translation>
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
        <translation>Rød</translation>
    </message>
    <message>
        <source>Yellow</source>
        <translation>Gul</translation>
    </message>
    <message>
        <source>Green</source>
        <translation>Grønn</translation>
    </message>
    <message>
        <source>No data</source>
        <translation>Ingen data</translation>
    </message>
    <message>
        <source>Red: acute worsening</source>
        <translation>Rød: akutt forverring</translation>
    </message>
    <message>
        <source>Yellow: early worsening</source>
        <translation>Gul: tidlig forverring</translation>
    </message>
    <message>
        <source>Green: within the plan</source>
        <translation>Grønn: innenfor planen</translation>
    </message>
    <message>
        <source>No measurements received</source>
        <translation>Ingen målinger mottatt</translation>
    </message>
    <message>
        <source>COPD</source>
        <translation>KOLS</translation>
    </message>
    <message>
        <source>Heart failure</source>
        <translation>Hjertesvikt</translation>
    </message>
    <message>
        <source>Type 2 diabetes</source>
        <translation>Diabetes type 2</translation>
    </message>
    <message>
        <source>Hypertension</source>
        <translation>Høyt blodtrykk</translation>
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
        <translation>Søk på navn eller fødselsnummer (Ctrl+F)</translation>
    </message>
    <message>
        <source>Search patients</source>
        <translation>Søk etter pasienter</translation>
    </message>
    <message>
        <source>Patient counts</source>
        <translation>Antall pasienter</translation>
    </message>
    <message>
        <source>Patient list</source>
        <translation>Pasientliste</translation>
    </message>
    <message>
        <source>Connection status</source>
        <translation>Tilkoblingsstatus</translation>
    </message>
    <message>
        <source>Starting…</source>
        <translation>Starter …</translation>
    </message>
    <message>
        <source>Connecting…</source>
        <translation>Kobler til …</translation>
    </message>
    <message>
        <source>Live</source>
        <translation>Direkte</translation>
    </message>
    <message>
        <source>Catching up…</source>
        <translation>Henter det som mangler …</translation>
    </message>
    <message>
        <source>Polling (no live connection)</source>
        <translation>Spør jevnlig (ingen direktekobling)</translation>
    </message>
    <message>
        <source>Reconnecting…</source>
        <translation>Kobler til på nytt …</translation>
    </message>
    <message>
        <source>Offline</source>
        <translation>Frakoblet</translation>
    </message>
    <message>
        <source>no data yet</source>
        <translation>ingen data ennå</translation>
    </message>
    <message>
        <source>data up to date (%1)</source>
        <translation>data er oppdatert (%1)</translation>
    </message>
    <message>
        <source>data is %1 old (as of %2)</source>
        <translation>data er %1 gamle (per %2)</translation>
    </message>
    <message numerus="yes">
        <source>%n patient(s)</source>
        <translation>
            <numerusform>%n pasient</numerusform>
            <numerusform>%n pasienter</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 red · %2 yellow · %3 green</source>
        <translation>%1 røde · %2 gule · %3 grønne</translation>
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
        <translation>Navn</translation>
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
        <translation>Ingen måling</translation>
    </message>
</context>
</TS>
