<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="nb_NO">
<context>
    <name>AccessLog</name>
    <message>
        <source>Opened</source>
        <translation>Åpnet</translation>
    </message>
    <message>
        <source>Opened an earlier version</source>
        <translation>Åpnet en tidligere versjon</translation>
    </message>
    <message>
        <source>Looked at the history</source>
        <translation>Så på historikken</translation>
    </message>
    <message>
        <source>Listed in a search</source>
        <translation>Vist i et søk</translation>
    </message>
    <message>
        <source>Created</source>
        <translation>Opprettet</translation>
    </message>
    <message>
        <source>Changed</source>
        <translation>Endret</translation>
    </message>
    <message>
        <source>Deleted</source>
        <translation>Slettet</translation>
    </message>
    <message>
        <source>Counted in a report</source>
        <translation>Talt med i en rapport</translation>
    </message>
    <message>
        <source>Read</source>
        <translation>Lest</translation>
    </message>
    <message>
        <source>nurse</source>
        <translation>sykepleier</translation>
    </message>
    <message>
        <source>department lead</source>
        <translation>avdelingsleder</translation>
    </message>
    <message>
        <source>superuser</source>
        <translation>superbruker</translation>
    </message>
    <message>
        <source>administrator</source>
        <translation>administrator</translation>
    </message>
    <message>
        <source>personal details</source>
        <translation>personopplysninger</translation>
    </message>
    <message>
        <source>measurements</source>
        <translation>målinger</translation>
    </message>
    <message>
        <source>alerts</source>
        <translation>varsler</translation>
    </message>
    <message>
        <source>messages</source>
        <translation>meldinger</translation>
    </message>
    <message>
        <source>enrolment</source>
        <translation>innskriving</translation>
    </message>
    <message>
        <source>plan</source>
        <translation>plan</translation>
    </message>
    <message>
        <source>questionnaire answers</source>
        <translation>svar på spørreskjema</translation>
    </message>
    <message>
        <source>relatives</source>
        <translation>pårørende</translation>
    </message>
    <message>
        <source>assessments</source>
        <translation>vurderinger</translation>
    </message>
    <message>
        <source>journal notes</source>
        <translation>journalnotater</translation>
    </message>
    <message>
        <source>video appointments</source>
        <translation>videoavtaler</translation>
    </message>
    <message>
        <source>video consultations</source>
        <translation>videokonsultasjoner</translation>
    </message>
    <message>
        <source>care team</source>
        <translation>behandlingsteam</translation>
    </message>
    <message>
        <source>%1 resources in all</source>
        <translation>%1 ressurser i alt</translation>
    </message>
    <message>
        <source>the patient&apos;s record</source>
        <translation>pasientens journal</translation>
    </message>
    <message>
        <source>Refused</source>
        <translation>Avvist</translation>
    </message>
    <message>
        <source>Allowed</source>
        <translation>Tillatt</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>Tidspunkt</translation>
    </message>
    <message>
        <source>User</source>
        <translation>Bruker</translation>
    </message>
    <message>
        <source>Role</source>
        <translation>Rolle</translation>
    </message>
    <message>
        <source>Organization</source>
        <translation>Virksomhet</translation>
    </message>
    <message>
        <source>What was done</source>
        <translation>Hva ble gjort</translation>
    </message>
    <message>
        <source>Patient</source>
        <translation>Pasient</translation>
    </message>
    <message>
        <source>Information</source>
        <translation>Opplysninger</translation>
    </message>
    <message>
        <source>Result</source>
        <translation>Resultat</translation>
    </message>
    <message>
        <source>Program</source>
        <translation>Program</translation>
    </message>
    <message>
        <source>Address</source>
        <translation>Adresse</translation>
    </message>
    <message>
        <source>From the access log (AuditEvent) the server writes for every read and change of patient data. Times are Norwegian time.</source>
        <translation>Fra tilgangsloggen (AuditEvent) som serveren skriver ved hver lesing og endring av pasientopplysninger. Tidspunktene er norsk tid.</translation>
    </message>
</context>
<context>
    <name>AccessLogService</name>
    <message>
        <source>The server only shows the access log to department leads and administrators.</source>
        <extracomment>Who may read other users&apos; accesses (the server enforces the same). Entries kept per search (an export of a patient&apos;s year fits easily).</extracomment>
        <translation>Serveren viser bare tilgangsloggen til avdelingsledere og administratorer.</translation>
    </message>
</context>
<context>
    <name>AccessLogView</name>
    <message>
        <source>Access log</source>
        <translation>Tilgangslogg</translation>
    </message>
    <message>
        <source>The access log is for department leads and administrators. You are signed in as %1.</source>
        <translation>Tilgangsloggen er for avdelingsledere og administratorer. Du er logget inn som %1.</translation>
    </message>
    <message>
        <source>Not available</source>
        <translation>Ikke tilgjengelig</translation>
    </message>
    <message>
        <source>&amp;Patient (name or national ID):</source>
        <translation>&amp;Pasient (navn eller fødselsnummer):</translation>
    </message>
    <message>
        <source>Find a patient by name or national ID</source>
        <translation>Finn en pasient på navn eller fødselsnummer</translation>
    </message>
    <message>
        <source>Find</source>
        <translation>Finn</translation>
    </message>
    <message>
        <source>Find patients</source>
        <translation>Finn pasienter</translation>
    </message>
    <message>
        <source>Patient to show the log for</source>
        <translation>Pasienten loggen skal vises for</translation>
    </message>
    <message>
        <source>Any patient</source>
        <translation>Alle pasienter</translation>
    </message>
    <message>
        <source>&amp;User (name):</source>
        <translation>&amp;Bruker (navn):</translation>
    </message>
    <message>
        <source>Find a user by name</source>
        <translation>Finn en bruker på navn</translation>
    </message>
    <message>
        <source>Find users</source>
        <translation>Finn brukere</translation>
    </message>
    <message>
        <source>User to show the log for</source>
        <translation>Brukeren loggen skal vises for</translation>
    </message>
    <message>
        <source>Any user</source>
        <translation>Alle brukere</translation>
    </message>
    <message>
        <source>&amp;From:</source>
        <translation>&amp;Fra:</translation>
    </message>
    <message>
        <source>First day</source>
        <translation>Første dag</translation>
    </message>
    <message>
        <source>&amp;To:</source>
        <translation>&amp;Til:</translation>
    </message>
    <message>
        <source>Last day</source>
        <translation>Siste dag</translation>
    </message>
    <message>
        <source>&amp;Search</source>
        <translation>&amp;Søk</translation>
    </message>
    <message>
        <source>Search the access log</source>
        <translation>Søk i tilgangsloggen</translation>
    </message>
    <message>
        <source>&amp;Cancel</source>
        <translation>&amp;Avbryt</translation>
    </message>
    <message>
        <source>Stop searching</source>
        <translation>Stopp søket</translation>
    </message>
    <message>
        <source>C&amp;SV…</source>
        <translation>C&amp;SV …</translation>
    </message>
    <message>
        <source>Export the access log as CSV</source>
        <translation>Eksporter tilgangsloggen som CSV</translation>
    </message>
    <message>
        <source>&amp;XLSX…</source>
        <translation>&amp;XLSX …</translation>
    </message>
    <message>
        <source>Export the access log as an Excel workbook</source>
        <translation>Eksporter tilgangsloggen som Excel-arbeidsbok</translation>
    </message>
    <message>
        <source>Choose a patient or a user (or neither) and a period, then search.</source>
        <translation>Velg en pasient eller en bruker (eller ingen av dem) og en periode, og søk.</translation>
    </message>
    <message>
        <source>Search status</source>
        <translation>Søkestatus</translation>
    </message>
    <message>
        <source>Access log entries</source>
        <translation>Oppføringer i tilgangsloggen</translation>
    </message>
    <message numerus="yes">
        <source>%n patient(s) found.</source>
        <translation>
            <numerusform>%n pasient funnet.</numerusform>
            <numerusform>%n pasienter funnet.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n user(s) found.</source>
        <translation>
            <numerusform>%n bruker funnet.</numerusform>
            <numerusform>%n brukere funnet.</numerusform>
        </translation>
    </message>
    <message>
        <source>Searching…</source>
        <translation>Søker …</translation>
    </message>
    <message>
        <source>Access log for %1</source>
        <translation>Tilgangslogg for %1</translation>
    </message>
    <message>
        <source>Accesses by %1</source>
        <translation>Oppslag gjort av %1</translation>
    </message>
    <message numerus="yes">
        <source>%n access(es) found so far…</source>
        <translation>
            <numerusform>%n oppslag funnet så langt …</numerusform>
            <numerusform>%n oppslag funnet så langt …</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Stopped: %n access(es) shown (not all).</source>
        <translation>
            <numerusform>Stoppet: %n oppslag vist (ikke alle).</numerusform>
            <numerusform>Stoppet: %n oppslag vist (ikke alle).</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n access(es) in the period.</source>
        <translation>
            <numerusform>%n oppslag i perioden.</numerusform>
            <numerusform>%n oppslag i perioden.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>The first %n accesses are shown; narrow the period to see all.</source>
        <translation>
            <numerusform>%n oppslag vises (ikke alle); gjør perioden kortere for å se alle.</numerusform>
            <numerusform>De første %n oppslagene vises; gjør perioden kortere for å se alle.</numerusform>
        </translation>
    </message>
    <message>
        <source>Period</source>
        <translation>Periode</translation>
    </message>
    <message>
        <source>Made</source>
        <translation>Laget</translation>
    </message>
    <message>
        <source>Made by</source>
        <translation>Laget av</translation>
    </message>
    <message>
        <source>Export the access log</source>
        <translation>Eksporter tilgangsloggen</translation>
    </message>
    <message>
        <source>CSV files (*.csv)</source>
        <translation>CSV-filer (*.csv)</translation>
    </message>
    <message>
        <source>Excel workbooks (*.xlsx)</source>
        <translation>Excel-arbeidsbøker (*.xlsx)</translation>
    </message>
    <message>
        <source>access-log-%1-%2.%3</source>
        <translation>tilgangslogg-%1-%2.%3</translation>
    </message>
</context>
<context>
    <name>AlertListModel</name>
    <message>
        <source>High</source>
        <translation>Høy</translation>
    </message>
    <message>
        <source>Medium</source>
        <translation>Middels</translation>
    </message>
    <message>
        <source>Low</source>
        <translation>Lav</translation>
    </message>
    <message>
        <source>Raised</source>
        <translation>Utløst</translation>
    </message>
    <message>
        <source>Priority</source>
        <translation>Prioritet</translation>
    </message>
    <message>
        <source>Alert</source>
        <translation>Varsel</translation>
    </message>
</context>
<context>
    <name>AlertQueueView</name>
    <message>
        <source>Alert queue</source>
        <extracomment>Flash periods (ms) for a high alert and for an escalated one. 10 frames a second keep the pulse smooth; each frame repaints only the visible flashing cards. Rows the side lists show: a 768-pixel screen keeps room for the cards, a 1080 one shows more. The closed period whose &quot;since we closed&quot; list the nurse marked as reviewed. Why no sound will be heard (&quot;&quot; while a player is there).</extracomment>
        <translation>Varselkø</translation>
    </message>
    <message>
        <source>Alerts</source>
        <translation>Varsler</translation>
    </message>
    <message>
        <source>Alert counts</source>
        <translation>Antall varsler</translation>
    </message>
    <message>
        <source>Sound status</source>
        <translation>Lydstatus</translation>
    </message>
    <message>
        <source>&amp;Mute sound</source>
        <translation>&amp;Demp lyd</translation>
    </message>
    <message>
        <source>Mute the alert sound for 5 minutes</source>
        <translation>Demp varsellyden i 5 minutter</translation>
    </message>
    <message>
        <source>Ctrl+M. Muting does not claim anything.</source>
        <translation>Ctrl+M. Å dempe lyden tar ikke varselet.</translation>
    </message>
    <message>
        <source>Since we closed</source>
        <translation>Siden vi stengte</translation>
    </message>
    <message>
        <source>Alerts that came while the centre was closed</source>
        <translation>Varsler som kom mens responssenteret var stengt</translation>
    </message>
    <message>
        <source>Re&amp;viewed</source>
        <translation>&amp;Gjennomgått</translation>
    </message>
    <message>
        <source>Mark the since-we-closed list as reviewed</source>
        <translation>Marker listen «Siden vi stengte» som gjennomgått</translation>
    </message>
    <message>
        <source>Hide this list until the centre has closed again. The alerts stay in the queue.</source>
        <translation>Skjul listen til senteret har stengt igjen. Varslene blir i køen.</translation>
    </message>
    <message>
        <source>Alerts, one card per patient</source>
        <translation>Varsler, ett kort per pasient</translation>
    </message>
    <message>
        <source>Adherence</source>
        <translation>Etterlevelse</translation>
    </message>
    <message>
        <source>Missing measurements, oldest first</source>
        <translation>Manglende målinger, eldste først</translation>
    </message>
    <message>
        <source>Adherence list</source>
        <translation>Etterlevelsesliste</translation>
    </message>
    <message>
        <source>Message</source>
        <translation>Melding</translation>
    </message>
    <message>
        <source>Copy &amp;journal note</source>
        <translation>Kopier &amp;journalnotat</translation>
    </message>
    <message>
        <source>Copy the journal note to the clipboard</source>
        <translation>Kopier journalnotatet til utklippstavlen</translation>
    </message>
    <message>
        <source>&amp;Claim</source>
        <translation>&amp;Ta varselet</translation>
    </message>
    <message>
        <source>Claim the alert (C)</source>
        <translation>Ta varselet (C)</translation>
    </message>
    <message>
        <source>Re&amp;lease</source>
        <translation>Fr&amp;igi</translation>
    </message>
    <message>
        <source>Release the claim (U)</source>
        <translation>Frigi varselet (U)</translation>
    </message>
    <message>
        <source>Co&amp;mment…</source>
        <translation>&amp;Kommenter…</translation>
    </message>
    <message>
        <source>Comment (M)</source>
        <translation>Kommenter (M)</translation>
    </message>
    <message>
        <source>&amp;Snooze…</source>
        <translation>&amp;Utsett…</translation>
    </message>
    <message>
        <source>Snooze (S)</source>
        <translation>Utsett (S)</translation>
    </message>
    <message>
        <source>&amp;Forward…</source>
        <translation>&amp;Videresend…</translation>
    </message>
    <message>
        <source>Forward (F)</source>
        <translation>Videresend (F)</translation>
    </message>
    <message>
        <source>&amp;Resolve…</source>
        <translation>&amp;Avslutt…</translation>
    </message>
    <message>
        <source>Resolve (R)</source>
        <translation>Avslutt varselet (R)</translation>
    </message>
    <message>
        <source>&amp;Open patient</source>
        <translation>Å&amp;pne pasient</translation>
    </message>
    <message>
        <source>Open the patient (Enter)</source>
        <translation>Åpne pasienten (Enter)</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>&amp;Hjelp</translation>
    </message>
    <message>
        <source>Keyboard shortcuts (F1)</source>
        <translation>Hurtigtaster (F1)</translation>
    </message>
    <message>
        <source>Resolved: %1. The draft journal note is ready to copy.</source>
        <translation>Avsluttet: %1. Utkastet til journalnotat er klart til å kopieres.</translation>
    </message>
    <message>
        <source>Journal note copied to the clipboard.</source>
        <translation>Journalnotatet er kopiert til utklippstavlen.</translation>
    </message>
    <message>
        <source>The patient has been asked for a new measurement.</source>
        <translation>Pasienten er bedt om en ny måling.</translation>
    </message>
    <message>
        <source>Adherence – missing measurements: %1</source>
        <translation>Etterlevelse – manglende målinger: %1</translation>
    </message>
    <message>
        <source>Adherence: nothing missing</source>
        <translation>Etterlevelse: ingen manglende målinger</translation>
    </message>
    <message>
        <source>Since we closed (%1) – alerts: %2, adherence: %3</source>
        <translation>Siden vi stengte (%1) – varsler: %2, etterlevelse: %3</translation>
    </message>
    <message>
        <source>No alert sound on this computer.</source>
        <translation>Ingen varsellyd på denne datamaskinen.</translation>
    </message>
    <message>
        <source>No sound</source>
        <translation>Ingen lyd</translation>
    </message>
    <message>
        <source>Sound on</source>
        <translation>Lyd på</translation>
    </message>
    <message>
        <source>Sound muted for %1</source>
        <translation>Lyd dempet i %1</translation>
    </message>
    <message>
        <source>Un&amp;mute</source>
        <translation>Slå på &amp;lyd</translation>
    </message>
    <message>
        <source>%1 high · %2 medium · %3 low</source>
        <translation>%1 høy · %2 middels · %3 lav</translation>
    </message>
</context>
<context>
    <name>AlertService</name>
    <message>
        <source>The server did not accept the change: %1</source>
        <extracomment>Task builder: given the newest Task, the updated Task, or None if the action no longer applies. Set when the Task was closed but the record resources could not be written yet. patient id, what happened instead (&quot;Claimed by Kari Nordmann at 10:42&quot;). action name (&quot;claim&quot;, &quot;unclaim&quot;, &quot;comment&quot;, &quot;snooze&quot;, &quot;forward&quot;, &quot;remeasure&quot;), patient id Messages to patients in their language (the department&apos;s templates or defaults). (practitioner id, name) of the department lead escalations go to. The department a patient is enrolled in (the centre&apos;s EpisodeOfCare), for Tasks that do not say where they are routed; the workbench sets it. The server escalates (announced): no escalation from this console. Service hours of the watched centre (default Monday-Friday 08:00-15:30). Escalation messages to the lead not yet accepted by the server: alert id → (alert, minutes, when to try again, attempts). Retried on the clock until sent. (patient id, versions of the card&apos;s alerts) -&gt; whether its value looks like an error.</extracomment>
        <translation>Serveren godtok ikke endringen: %1</translation>
    </message>
    <message>
        <source>Something went wrong: %1</source>
        <translation>Noe gikk galt: %1</translation>
    </message>
    <message>
        <source>The alert is closed, but the journal note could not be saved yet: %1</source>
        <translation>Varselet er avsluttet, men journalnotatet kunne ikke lagres ennå: %1</translation>
    </message>
    <message>
        <source>Not signed in as a person: alerts can be seen, not claimed</source>
        <translation>Ikke innlogget som person: varsler kan ses, ikke tas</translation>
    </message>
    <message>
        <source>You are signed in with a token that is not a person&apos;s: you can see alerts, but not claim, comment or resolve them.</source>
        <translation>Du er logget inn med et token som ikke tilhører en person: du ser varslene, men kan ikke ta, kommentere eller lukke dem.</translation>
    </message>
    <message>
        <source>This alert is no longer in the queue.</source>
        <translation>Dette varselet er ikke lenger i køen.</translation>
    </message>
    <message>
        <source>The alert keeps changing; try again.</source>
        <extracomment>Task id → the unacknowledged escalation messages about it.</extracomment>
        <translation>Varselet endres stadig; prøv igjen.</translation>
    </message>
    <message>
        <source>Someone else changed this alert; the queue shows the latest.</source>
        <translation>Noen andre endret varselet; køen viser siste versjon.</translation>
    </message>
    <message>
        <source>Already resolved by %1 at %2</source>
        <translation>Allerede avsluttet av %1 kl. %2</translation>
    </message>
    <message>
        <source>The alert was cancelled.</source>
        <translation>Varselet ble kansellert.</translation>
    </message>
    <message>
        <source>The escalation to the department lead could not be sent yet; it is kept and sent again: %1</source>
        <translation>Eskaleringen til avdelingslederen kunne ikke sendes ennå; den er tatt vare på og sendes på nytt: %1</translation>
    </message>
</context>
<context>
    <name>AlertText</name>
    <message>
        <source>High priority</source>
        <translation>Høy prioritet</translation>
    </message>
    <message>
        <source>Medium priority</source>
        <translation>Middels prioritet</translation>
    </message>
    <message>
        <source>Low priority</source>
        <translation>Lav prioritet</translation>
    </message>
    <message>
        <source>SpO₂</source>
        <translation>SpO₂</translation>
    </message>
    <message>
        <source>Pulse</source>
        <translation>Puls</translation>
    </message>
    <message>
        <source>Blood pressure</source>
        <translation>Blodtrykk</translation>
    </message>
    <message>
        <source>Temperature</source>
        <translation>Temperatur</translation>
    </message>
    <message>
        <source>Blood glucose</source>
        <translation>Blodsukker</translation>
    </message>
    <message>
        <source>Weight</source>
        <translation>Vekt</translation>
    </message>
    <message>
        <source>Respiratory rate</source>
        <translation>Respirasjonsfrekvens</translation>
    </message>
    <message>
        <source>Weight gain</source>
        <translation>Vektøkning</translation>
    </message>
    <message>
        <source>Weight loss</source>
        <translation>Vekttap</translation>
    </message>
    <message>
        <source>Missing measurement</source>
        <translation>Manglende måling</translation>
    </message>
    <message>
        <source>Questionnaire answer</source>
        <translation>Svar i spørreskjema</translation>
    </message>
    <message>
        <source>Patient asks to be contacted</source>
        <translation>Pasienten ber om kontakt</translation>
    </message>
    <message>
        <source>Other alert</source>
        <translation>Annet varsel</translation>
    </message>
    <message>
        <source>Contacted the patient</source>
        <translation>Kontaktet pasienten</translation>
    </message>
    <message>
        <source>Advised the GP</source>
        <translation>Varslet fastlegen</translation>
    </message>
    <message>
        <source>Referred to the out-of-hours clinic (legevakt)</source>
        <translation>Henvist til legevakt</translation>
    </message>
    <message>
        <source>Called 113</source>
        <translation>Ringte 113</translation>
    </message>
    <message>
        <source>Measurement error</source>
        <translation>Målefeil</translation>
    </message>
    <message>
        <source>No action needed</source>
        <translation>Ingen tiltak nødvendig</translation>
    </message>
    <message>
        <source>red</source>
        <translation>rød</translation>
    </message>
    <message>
        <source>yellow</source>
        <translation>gul</translation>
    </message>
    <message>
        <source>Systolic BP</source>
        <translation>Systolisk BT</translation>
    </message>
    <message>
        <source>Diastolic BP</source>
        <translation>Diastolisk BT</translation>
    </message>
    <message>
        <source>Weight gain in %1 days</source>
        <translation>Vektøkning på %1 døgn</translation>
    </message>
    <message>
        <source>%1 %2</source>
        <translation>%1 %2</translation>
    </message>
    <message>
        <source>%1 %2 (%3 limit %4)</source>
        <translation>%1 %2 (%3 grense %4)</translation>
    </message>
    <message>
        <source>A measurement</source>
        <extracomment>The measurement&apos;s own name (the threshold rule of each kind says it). Rules whose server description only says again what the rule&apos;s name says. How our own server&apos;s descriptions start (Bokmål), so a fallback never says it twice.</extracomment>
        <translation>En måling</translation>
    </message>
    <message>
        <source>%1 missing since %2</source>
        <translation>%1 mangler siden %2</translation>
    </message>
    <message>
        <source>Answer %1: “%2” – %3</source>
        <translation>Svar %1: «%2» – %3</translation>
    </message>
    <message>
        <source>Asks to be contacted: “%1”</source>
        <translation>Ber om å bli kontaktet: «%1»</translation>
    </message>
    <message>
        <source>(%1 earlier)</source>
        <translation>(%1 tidligere)</translation>
    </message>
    <message>
        <source>high</source>
        <translation>høy</translation>
    </message>
    <message>
        <source>medium</source>
        <translation>middels</translation>
    </message>
    <message>
        <source>low</source>
        <translation>lav</translation>
    </message>
    <message>
        <source>Claimed by %1</source>
        <translation>Tatt av %1</translation>
    </message>
    <message>
        <source>Claimed by %1 at %2</source>
        <translation>Tatt av %1 kl. %2</translation>
    </message>
    <message>
        <source>Snoozed</source>
        <translation>Utsatt</translation>
    </message>
    <message>
        <source>Snoozed until %1</source>
        <translation>Utsatt til %1</translation>
    </message>
    <message>
        <source>New</source>
        <translation>Ny</translation>
    </message>
    <message>
        <source>Escalated</source>
        <translation>Eskalert</translation>
    </message>
    <message>
        <source>⚠ Possible measurement error: the new measurement was normal</source>
        <translation>⚠ Mulig målefeil: den nye målingen var normal</translation>
    </message>
    <message>
        <source>Confirmed by a new measurement</source>
        <translation>Bekreftet ved ny måling</translation>
    </message>
    <message>
        <source>⚠ Possible measurement error: a new measurement is requested</source>
        <translation>⚠ Mulig målefeil: pasienten er bedt om ny måling</translation>
    </message>
    <message>
        <source>⚠ Possible measurement error</source>
        <translation>⚠ Mulig målefeil</translation>
    </message>
    <message>
        <source>☾ Came while closed (%1)</source>
        <translation>☾ Kom mens stengt (%1)</translation>
    </message>
    <message>
        <source> · patient advised (legevakt)</source>
        <translation> · fikk råd (legevakt)</translation>
    </message>
    <message>
        <source>%1 · %3
%2</source>
        <translation>%1 · %3
%2</translation>
    </message>
    <message>
        <source>%1 · %2 · %3
%4</source>
        <extracomment>The console escalates by its own clock (False when the server announces that it escalates: then only the server&apos;s escalated-at counts). Versions of alerts seen closed, so a late older open version cannot revive them. patient id -&gt; (card, age in whole minutes, display data) of the last build. When the bundles next change with the clock (a snooze ends, an alert escalates).</extracomment>
        <translation>%1 · %2 · %3
%4</translation>
    </message>
    <message>
        <source> (patient advised)</source>
        <translation> (pasienten fikk råd)</translation>
    </message>
</context>
<context>
    <name>CallListModel</name>
    <message>
        <source>Started</source>
        <translation>Startet</translation>
    </message>
    <message>
        <source>Duration</source>
        <translation>Varighet</translation>
    </message>
    <message>
        <source>Outcome</source>
        <translation>Utfall</translation>
    </message>
    <message>
        <source>in progress</source>
        <translation>pågår</translation>
    </message>
</context>
<context>
    <name>CentreService</name>
    <message>
        <source>%1 (all departments)</source>
        <extracomment>Resource types the patient list follows live. How the latest values were found (&quot;$lastn&quot; or &quot;window+per-patient&quot;). Patients whose plan states limits of its own (the others are on the templates).</extracomment>
        <translation>%1 (alle avdelinger)</translation>
    </message>
    <message>
        <source>All departments</source>
        <translation>Alle avdelinger</translation>
    </message>
    <message numerus="yes">
        <source>%n record(s) from the server could not be read and were skipped</source>
        <extracomment>The measurements of one live batch, after the list has them (open patient views). What each patient&apos;s active ServiceRequests say about limits, by ServiceRequest id (live plan edits replace one of them); entries, not the resources (memory). Patients asked for once already (enrolled while the console runs, or not ours). Newest meta.lastUpdated seen in the first load: the live feed catches up from there.</extracomment>
        <translation>
            <numerusform>%n oppføring fra serveren kunne ikke leses og ble hoppet over</numerusform>
            <numerusform>%n oppføringer fra serveren kunne ikke leses og ble hoppet over</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ChartPanel</name>
    <message>
        <source>Show as table</source>
        <extracomment>Series colours, darkest first, so their greys stay apart too.</extracomment>
        <translation>Vis som tabell</translation>
    </message>
    <message>
        <source>Show %1 as a table</source>
        <translation>Vis %1 som tabell</translation>
    </message>
    <message>
        <source>Chart: %1</source>
        <translation>Diagram: %1</translation>
    </message>
    <message>
        <source>Table: %1</source>
        <translation>Tabell: %1</translation>
    </message>
    <message>
        <source>Show as chart</source>
        <translation>Vis som diagram</translation>
    </message>
</context>
<context>
    <name>CommentDialog</name>
    <message>
        <source>Comment – %1</source>
        <translation>Kommentar – %1</translation>
    </message>
    <message>
        <source>Comment on the alert</source>
        <translation>Kommenter varselet</translation>
    </message>
    <message>
        <source>Comment</source>
        <translation>Kommentar</translation>
    </message>
    <message>
        <source>What did you do or find? (Ctrl+Enter saves)</source>
        <translation>Hva gjorde eller fant du? (Ctrl+Enter lagrer)</translation>
    </message>
    <message>
        <source>&amp;Save comment</source>
        <translation>&amp;Lagre kommentar</translation>
    </message>
</context>
<context>
    <name>ConsoleSession</name>
    <message>
        <source>nurse</source>
        <extracomment>Seconds after opening the browser before the sign-in address is shown as well.</extracomment>
        <translation>sykepleier</translation>
    </message>
    <message>
        <source>department lead</source>
        <translation>avdelingsleder</translation>
    </message>
    <message>
        <source>superuser</source>
        <translation>superbruker</translation>
    </message>
    <message>
        <source>administrator</source>
        <translation>administrator</translation>
    </message>
    <message>
        <source>Quit the console?</source>
        <extracomment>Longest wait for a step of the shutdown (seconds; some steps get a multiple). The embedded backend `console.app` started before the window was built (its start overlaps the console&apos;s own imports and window on the other core), and its start. The server&apos;s clock (fed from every answer): ages, timers and the times we write. The TRENING / TRAINING mark, switched on from the server&apos;s profile (never the URL).</extracomment>
        <translation>Avslutte konsollen?</translation>
    </message>
    <message>
        <source>&amp;Quit anyway</source>
        <translation>&amp;Avslutt likevel</translation>
    </message>
    <message>
        <source>&amp;Stay and send</source>
        <translation>&amp;Bli og send</translation>
    </message>
    <message>
        <source>Starting the built-in training backend…</source>
        <translation>Starter den innebygde treningsserveren …</translation>
    </message>
    <message>
        <source>Not a training server</source>
        <translation>Ikke en treningsserver</translation>
    </message>
    <message>
        <source>Unknown user</source>
        <translation>Ukjent bruker</translation>
    </message>
    <message>
        <source>The alert sound is switched off in the settings (sound/enabled): alerts are shown but not heard.</source>
        <translation>Varsellyden er slått av i innstillingene (sound/enabled): varsler vises, men høres ikke.</translation>
    </message>
    <message>
        <source>Sound off</source>
        <translation>Lyd av</translation>
    </message>
    <message>
        <source>No sound output found: alerts are shown but will not be heard.</source>
        <translation>Fant ingen lydutgang: varsler vises, men høres ikke.</translation>
    </message>
    <message>
        <source>No sound output</source>
        <translation>Ingen lydutgang</translation>
    </message>
    <message>
        <source>%1 is not a training server (its profile is “%2”): the console does not start training mode on it.</source>
        <translation>%1 er ikke en treningsserver (profilen er «%2»): konsollet starter ikke treningsmodus mot den.</translation>
    </message>
    <message>
        <source>Signed in</source>
        <translation>Innlogget</translation>
    </message>
    <message>
        <source>You can close this tab and go back to the DHO console.</source>
        <translation>Du kan lukke denne fanen og gå tilbake til DHO-konsollet.</translation>
    </message>
    <message>
        <source>Sign-in did not succeed. Try again.</source>
        <translation>Innloggingen lyktes ikke. Prøv igjen.</translation>
    </message>
    <message>
        <source>TRAINING USER</source>
        <translation>TRENINGSBRUKER</translation>
    </message>
    <message>
        <source>No secure key store</source>
        <translation>Ingen sikker nøkkellagring</translation>
    </message>
    <message>
        <source>No secure key store on this computer: you must sign in again at every start.</source>
        <translation>Ingen sikker nøkkelring på denne maskinen: du må logge inn på nytt ved hver oppstart.</translation>
    </message>
</context>
<context>
    <name>DebriefView</name>
    <message>
        <source>Debrief</source>
        <translation>Oppsummering</translation>
    </message>
    <message>
        <source>The group</source>
        <translation>Gruppen</translation>
    </message>
    <message>
        <source>Trainee</source>
        <translation>Deltaker</translation>
    </message>
    <message>
        <source>Scenario</source>
        <translation>Scenario</translation>
    </message>
    <message>
        <source>To claim</source>
        <translation>Til tatt</translation>
    </message>
    <message>
        <source>To open</source>
        <translation>Til åpnet</translation>
    </message>
    <message>
        <source>To resolve</source>
        <translation>Til avsluttet</translation>
    </message>
    <message>
        <source>Outcome chosen</source>
        <translation>Valgt utfall</translation>
    </message>
    <message>
        <source>Expected</source>
        <translation>Forventet</translation>
    </message>
    <message>
        <source>Alerts missed</source>
        <translation>Varsler oversett</translation>
    </message>
    <message>
        <source>Messages</source>
        <translation>Meldinger</translation>
    </message>
    <message>
        <source>Escalations</source>
        <translation>Eskaleringer</translation>
    </message>
    <message>
        <source>Score</source>
        <translation>Poeng</translation>
    </message>
    <message>
        <source>Notes</source>
        <translation>Merknader</translation>
    </message>
    <message>
        <source>Scores per trainee and scenario</source>
        <translation>Poeng per deltaker og scenario</translation>
    </message>
    <message>
        <source>Notes on the chosen row</source>
        <translation>Merknader til valgt rad</translation>
    </message>
    <message>
        <source>&amp;Refresh</source>
        <translation>&amp;Oppdater</translation>
    </message>
    <message>
        <source>Refresh the debrief</source>
        <translation>Oppdater oppsummeringen</translation>
    </message>
    <message>
        <source>&amp;PDF…</source>
        <translation>&amp;PDF …</translation>
    </message>
    <message>
        <source>Save the debrief as a PDF</source>
        <translation>Lagre oppsummeringen som PDF</translation>
    </message>
    <message>
        <source>No scores yet: the debrief is ready once trainees have worked.</source>
        <translation>Ingen poeng ennå: oppsummeringen er klar når deltakerne har arbeidet.</translation>
    </message>
    <message>
        <source>✓ right</source>
        <translation>✓ riktig</translation>
    </message>
    <message>
        <source>✗ wrong</source>
        <translation>✗ feil</translation>
    </message>
    <message>
        <source>none (✗ not resolved)</source>
        <translation>ingen (✗ ikke avsluttet)</translation>
    </message>
    <message>
        <source>Expected response: %1</source>
        <translation>Forventet respons: %1</translation>
    </message>
    <message>
        <source>PDF documents (*.pdf)</source>
        <translation>PDF-dokumenter (*.pdf)</translation>
    </message>
    <message>
        <source>debrief-%1.pdf</source>
        <translation>oppsummering-%1.pdf</translation>
    </message>
    <message>
        <source>Debrief of the training session</source>
        <translation>Oppsummering av treningsøkten</translation>
    </message>
    <message>
        <source>Group: %1 trainees · mean score %2 of 100 · outcomes correct %3 of %4 · alerts missed %5 · median time to claim %6</source>
        <translation>Gruppen: %1 deltakere · snittpoeng %2 av 100 · riktige utfall %3 av %4 · varsler oversett %5 · mediantid til tatt %6</translation>
    </message>
    <message>
        <source>Made %1 by %2 · DHO training</source>
        <translation>Laget %1 av %2 · DHO trening</translation>
    </message>
    <message>
        <source>Page %1 of %2</source>
        <translation>Side %1 av %2</translation>
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
        <source>Wound care</source>
        <translation>Sårbehandling</translation>
    </message>
    <message>
        <source>Dementia, with relatives</source>
        <translation>Demens, med pårørende</translation>
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
        <source>Gluc. (mmol/L)</source>
        <translation>Gluk. (mmol/L)</translation>
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
    <name>ForwardDialog</name>
    <message>
        <source>Forward – %1</source>
        <translation>Videresend – %1</translation>
    </message>
    <message>
        <source>Forward the alert</source>
        <translation>Videresend varselet</translation>
    </message>
    <message>
        <source>Forward to</source>
        <translation>Videresend til</translation>
    </message>
    <message>
        <source>Department: %1</source>
        <translation>Avdeling: %1</translation>
    </message>
    <message>
        <source>Person: %1</source>
        <translation>Person: %1</translation>
    </message>
    <message>
        <source>Message</source>
        <translation>Melding</translation>
    </message>
    <message>
        <source>Forward &amp;to:</source>
        <translation>Videresend &amp;til:</translation>
    </message>
    <message>
        <source>&amp;Message:</source>
        <translation>&amp;Melding:</translation>
    </message>
    <message>
        <source>&amp;Forward</source>
        <translation>&amp;Videresend</translation>
    </message>
</context>
<context>
    <name>HandoverView</name>
    <message>
        <source>Open and claimed alerts (%1)</source>
        <extracomment>Body text of the printed and exported handover (points): readable on paper.</extracomment>
        <translation>Åpne og tatte varsler (%1)</translation>
    </message>
    <message>
        <source>Patient</source>
        <translation>Pasient</translation>
    </message>
    <message>
        <source>Priority</source>
        <translation>Prioritet</translation>
    </message>
    <message>
        <source>Alerts</source>
        <translation>Varsler</translation>
    </message>
    <message>
        <source>State</source>
        <translation>Tilstand</translation>
    </message>
    <message>
        <source>Waiting</source>
        <translation>Ventet</translation>
    </message>
    <message>
        <source>No open alerts.</source>
        <translation>Ingen åpne varsler.</translation>
    </message>
    <message>
        <source>Alerts resolved this shift (%1)</source>
        <translation>Varsler avsluttet denne vakten (%1)</translation>
    </message>
    <message>
        <source>Alert</source>
        <translation>Varsel</translation>
    </message>
    <message>
        <source>Outcome</source>
        <translation>Utfall</translation>
    </message>
    <message>
        <source>Resolved by</source>
        <translation>Avsluttet av</translation>
    </message>
    <message>
        <source>At</source>
        <translation>Kl.</translation>
    </message>
    <message>
        <source>No alerts resolved this shift.</source>
        <translation>Ingen varsler avsluttet denne vakten.</translation>
    </message>
    <message>
        <source>Adherence list: missing measurements (%1)</source>
        <translation>Etterlevelsesliste: manglende målinger (%1)</translation>
    </message>
    <message>
        <source>Missing</source>
        <translation>Mangler</translation>
    </message>
    <message>
        <source>No missing measurements.</source>
        <translation>Ingen manglende målinger.</translation>
    </message>
    <message>
        <source>The patient got the plan&apos;s advice.</source>
        <translation>Pasienten fikk rådet i planen.</translation>
    </message>
    <message>
        <source>Since we closed (%1): %2</source>
        <translation>Siden vi stengte (%1): %2</translation>
    </message>
    <message>
        <source>Came</source>
        <translation>Kom</translation>
    </message>
    <message>
        <source>Nothing came while the centre was closed.</source>
        <translation>Ingenting kom mens senteret var stengt.</translation>
    </message>
    <message>
        <source>Claimed by %1</source>
        <translation>Tatt av %1</translation>
    </message>
    <message>
        <source>New</source>
        <translation>Ny</translation>
    </message>
    <message>
        <source>Still open</source>
        <translation>Fortsatt åpent</translation>
    </message>
    <message>
        <source>Closed</source>
        <translation>Avsluttet</translation>
    </message>
    <message>
        <source>Patients with new deviations this shift (%1)</source>
        <translation>Pasienter med nye avvik denne vakten (%1)</translation>
    </message>
    <message>
        <source>Worst priority</source>
        <translation>Høyeste prioritet</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>No new deviations this shift.</source>
        <translation>Ingen nye avvik denne vakten.</translation>
    </message>
    <message>
        <source>Handed over by %1</source>
        <translation>Overlevert av %1</translation>
    </message>
    <message>
        <source>Shift from %1 to %2</source>
        <translation>Vakt fra %1 til %2</translation>
    </message>
    <message>
        <source>Shift handover</source>
        <extracomment>More sections (adherence items, &quot;since we closed&quot;): (since, now) -&gt; sections.</extracomment>
        <translation>Vaktoverlevering</translation>
    </message>
    <message>
        <source>handover-%1.pdf</source>
        <translation>overlevering-%1.pdf</translation>
    </message>
    <message>
        <source>Shift &amp;started at:</source>
        <translation>Vakten &amp;startet kl.:</translation>
    </message>
    <message>
        <source>Shift start</source>
        <translation>Vaktstart</translation>
    </message>
    <message>
        <source>&amp;Update</source>
        <translation>&amp;Oppdater</translation>
    </message>
    <message>
        <source>Update the handover</source>
        <translation>Oppdater overleveringen</translation>
    </message>
    <message>
        <source>&amp;Export PDF…</source>
        <translation>&amp;Eksporter PDF…</translation>
    </message>
    <message>
        <source>Export the handover as PDF</source>
        <translation>Eksporter overleveringen som PDF</translation>
    </message>
    <message>
        <source>&amp;Print…</source>
        <translation>Skriv &amp;ut…</translation>
    </message>
    <message>
        <source>Print the handover</source>
        <translation>Skriv ut overleveringen</translation>
    </message>
    <message>
        <source>Handover summary</source>
        <translation>Sammendrag for overlevering</translation>
    </message>
    <message>
        <source>Export handover</source>
        <translation>Eksporter overlevering</translation>
    </message>
    <message>
        <source>PDF documents (*.pdf)</source>
        <translation>PDF-dokumenter (*.pdf)</translation>
    </message>
</context>
<context>
    <name>Inbox</name>
    <message>
        <source>Escalated to you</source>
        <extracomment>&quot;escalated&quot; or &quot;forwarded&quot; Why it is here, from the escalation message or the Task&apos;s last note.</extracomment>
        <translation>Eskalert til deg</translation>
    </message>
    <message>
        <source>Forwarded to you</source>
        <translation>Videresendt til deg</translation>
    </message>
    <message>
        <source>Claimed by you</source>
        <translation>Tatt av deg</translation>
    </message>
    <message>
        <source>Snoozed</source>
        <translation>Utsatt</translation>
    </message>
    <message>
        <source>Nobody has it</source>
        <translation>Ingen har tatt det</translation>
    </message>
    <message>
        <source>Priority</source>
        <translation>Prioritet</translation>
    </message>
    <message>
        <source>Patient</source>
        <translation>Pasient</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>Årsak</translation>
    </message>
    <message>
        <source>Why in your inbox</source>
        <translation>Hvorfor i innboksen din</translation>
    </message>
    <message>
        <source>Waiting</source>
        <translation>Venter</translation>
    </message>
    <message>
        <source>State</source>
        <translation>Status</translation>
    </message>
</context>
<context>
    <name>InboxView</name>
    <message>
        <source>Escalation inbox</source>
        <translation>Innboks for eskaleringer</translation>
    </message>
    <message>
        <source>Alerts escalated to you (nobody claimed them in time) and alerts colleagues forwarded to you. Claim one to take it, or hand it back to its department.</source>
        <translation>Varsler som er eskalert til deg (ingen tok dem i tide) og varsler kolleger har videresendt til deg. Ta et varsel for å overta det, eller lever det tilbake til avdelingen.</translation>
    </message>
    <message>
        <source>Alerts in your inbox</source>
        <translation>Varsler i innboksen din</translation>
    </message>
    <message>
        <source>Nothing is escalated or forwarded to you.</source>
        <translation>Ingenting er eskalert eller videresendt til deg.</translation>
    </message>
    <message>
        <source>&amp;Claim</source>
        <translation>&amp;Ta varselet</translation>
    </message>
    <message>
        <source>Claim the selected alert</source>
        <translation>Ta det valgte varselet</translation>
    </message>
    <message>
        <source>&amp;Hand back</source>
        <translation>&amp;Lever tilbake</translation>
    </message>
    <message>
        <source>Hand the selected alert back to its department</source>
        <translation>Lever det valgte varselet tilbake til avdelingen</translation>
    </message>
    <message>
        <source>&amp;Open patient</source>
        <translation>Å&amp;pne pasient</translation>
    </message>
    <message>
        <source>Open the selected patient</source>
        <translation>Åpne den valgte pasienten</translation>
    </message>
    <message>
        <source>Inbox status</source>
        <translation>Status for innboksen</translation>
    </message>
    <message>
        <source>Escalation inbox (%1)</source>
        <translation>Innboks for eskaleringer (%1)</translation>
    </message>
    <message>
        <source>Claimed: it is yours now.</source>
        <translation>Tatt: varselet er ditt nå.</translation>
    </message>
    <message>
        <source>Handed back to the department.</source>
        <translation>Levert tilbake til avdelingen.</translation>
    </message>
</context>
<context>
    <name>LockOverlay</name>
    <message>
        <source>Training users</source>
        <extracomment>Input events that may only reach the panels while locked.</extracomment>
        <translation>Treningsbrukere</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Navn</translation>
    </message>
    <message>
        <source>Role and centre</source>
        <translation>Rolle og senter</translation>
    </message>
    <message>
        <source>User name</source>
        <translation>Brukernavn</translation>
    </message>
    <message>
        <source>Sign in as the &amp;chosen training user</source>
        <translation>Logg inn som &amp;valgt treningsbruker</translation>
    </message>
    <message>
        <source>Sign in as the chosen training user</source>
        <translation>Logg inn som valgt treningsbruker</translation>
    </message>
    <message>
        <source>Sign-in address</source>
        <translation>Innloggingsadresse</translation>
    </message>
    <message>
        <source>&amp;Copy address</source>
        <translation>&amp;Kopier adressen</translation>
    </message>
    <message>
        <source>Copy the sign-in address</source>
        <translation>Kopier innloggingsadressen</translation>
    </message>
    <message>
        <source>The console is locked</source>
        <translation>Konsollet er låst</translation>
    </message>
    <message>
        <source>Patient data is hidden after a period without activity. Alerts still count and sound. Sign in again to continue.</source>
        <translation>Pasientdata er skjult etter en periode uten aktivitet. Varsler telles og lyder fortsatt. Logg inn på nytt for å fortsette.</translation>
    </message>
    <message>
        <source>&amp;Unlock (sign in again)</source>
        <translation>&amp;Lås opp (logg inn på nytt)</translation>
    </message>
    <message>
        <source>Unlock by signing in again</source>
        <translation>Lås opp ved å logge inn på nytt</translation>
    </message>
    <message>
        <source>Sign in</source>
        <translation>Logg inn</translation>
    </message>
    <message>
        <source>Sign in with your user account to see the patients of your response centre. The sign-in page opens in your web browser.</source>
        <translation>Logg inn med brukerkontoen din for å se pasientene i responssenteret ditt. Innloggingssiden åpnes i nettleseren.</translation>
    </message>
    <message>
        <source>&amp;Sign in…</source>
        <translation>&amp;Logg inn …</translation>
    </message>
    <message>
        <source>Sign in in the web browser</source>
        <translation>Logg inn i nettleseren</translation>
    </message>
    <message>
        <source>This is a training centre with synthetic patients. Choose a training user to sign in as, or sign in in the web browser.</source>
        <translation>Dette er et treningssenter med syntetiske pasienter. Velg en treningsbruker å logge inn som, eller logg inn i nettleseren.</translation>
    </message>
    <message>
        <source>Training users (synthetic data; every one has the training password):</source>
        <translation>Treningsbrukere (syntetiske data; alle har treningspassordet):</translation>
    </message>
    <message>
        <source>Sign in in the &amp;web browser…</source>
        <translation>Logg inn i &amp;nettleseren …</translation>
    </message>
    <message>
        <source>Finish signing in in the web browser window that opened, then come back.</source>
        <translation>Fullfør innloggingen i nettleservinduet som åpnet seg, og kom så tilbake hit.</translation>
    </message>
    <message>
        <source>No browser window came up? Open this address in a web browser on this computer and sign in there; the console continues by itself.</source>
        <translation>Kom det ikke opp noe nettleservindu? Åpne denne adressen i en nettleser på denne datamaskinen og logg inn der; konsollet fortsetter av seg selv.</translation>
    </message>
    <message>
        <source>No web browser could be opened. Open this address in a web browser on this computer and sign in there; the console continues by itself.</source>
        <translation>Ingen nettleser kunne åpnes. Åpne denne adressen i en nettleser på denne datamaskinen og logg inn der; konsollet fortsetter av seg selv.</translation>
    </message>
    <message>
        <source>Waiting for the sign-in in a web browser…</source>
        <translation>Venter på innloggingen i en nettleser …</translation>
    </message>
    <message>
        <source>Signing in as %1…</source>
        <translation>Logger inn som %1 …</translation>
    </message>
    <message>
        <source>DHO response centre – locked</source>
        <translation>DHO responssenter – låst</translation>
    </message>
    <message>
        <source>DHO – locked</source>
        <translation>DHO – låst</translation>
    </message>
    <message>
        <source>Copied</source>
        <translation>Kopiert</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>DHO response centre</source>
        <extracomment>Columns the user may hide (View &gt; Columns); status and name always show. Hidden on a narrow window (under 1600 px) until the user shows them: the name&apos;s tooltip and the alert cards name the department and programme too. Ctrl+Q or File &gt; Quit: the session asks about unsent messages, as on closing. Ctrl+Shift+H, File &gt; Shift handover or the top-row button. A workstation time -&gt; the server&apos;s (simulated) time (ServerClock.at), for the times the status bar shows; the age of the data stays in real seconds.
----------
Below this window width, the columns a nurse needs least are hidden unless chosen.</extracomment>
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
        <source>Signed in as</source>
        <translation>Innlogget som</translation>
    </message>
    <message>
        <source>&amp;Lock</source>
        <translation>&amp;Lås</translation>
    </message>
    <message>
        <source>Hide patient data now (Ctrl+L)</source>
        <translation>Skjul pasientdata nå (Ctrl+L)</translation>
    </message>
    <message>
        <source>Lock the console</source>
        <translation>Lås konsollet</translation>
    </message>
    <message>
        <source>Sign &amp;out</source>
        <translation>Logg &amp;ut</translation>
    </message>
    <message>
        <source>Sign out</source>
        <translation>Logg ut</translation>
    </message>
    <message>
        <source>&amp;Handover</source>
        <translation>&amp;Overlevering</translation>
    </message>
    <message>
        <source>Shift handover (Ctrl+Shift+H)</source>
        <translation>Vaktoverlevering (Ctrl+Shift+H)</translation>
    </message>
    <message>
        <source>Shift handover</source>
        <translation>Vaktoverlevering</translation>
    </message>
    <message>
        <source>Alert queue</source>
        <translation>Varselkø</translation>
    </message>
    <message>
        <source>Patient list and open patients</source>
        <translation>Pasientliste og åpne pasienter</translation>
    </message>
    <message>
        <source>Patient list</source>
        <translation>Pasientliste</translation>
    </message>
    <message>
        <source>&amp;Patients</source>
        <translation>&amp;Pasienter</translation>
    </message>
    <message>
        <source>Connection status</source>
        <translation>Tilkoblingsstatus</translation>
    </message>
    <message>
        <source>Open alerts</source>
        <translation>Åpne varsler</translation>
    </message>
    <message>
        <source>Who raises alerts</source>
        <extracomment>Lasting warnings, one label each (key -&gt; label), in the order they arrived.</extracomment>
        <translation>Hvem som lager varsler</translation>
    </message>
    <message>
        <source>Shift &amp;handover…</source>
        <translation>Vakt&amp;overlevering …</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>&amp;Avslutt</translation>
    </message>
    <message>
        <source>&amp;Columns</source>
        <extracomment>Columns the user showed or hid from View &gt; Columns (else: by window width).</extracomment>
        <translation>&amp;Kolonner</translation>
    </message>
    <message>
        <source>Notice</source>
        <translation>Merknad</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <extracomment>The menu bar&apos;s menus, in this order; each appears once something puts an action in it.</extracomment>
        <translation>&amp;Fil</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>&amp;Vis</translation>
    </message>
    <message>
        <source>&amp;Training</source>
        <translation>&amp;Trening</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>&amp;Hjelp</translation>
    </message>
    <message>
        <source>Alerts by: this console</source>
        <translation>Varsler fra: konsollen</translation>
    </message>
    <message>
        <source>The server raises no alerts: this console checks every new value against the patient&apos;s own limits and creates the alert (once, however many consoles run).</source>
        <translation>Serveren lager ingen varsler: denne konsollen sjekker hver nye verdi mot pasientens egne grenser og lager varselet (én gang, uansett hvor mange konsoller som kjører).</translation>
    </message>
    <message>
        <source>Alerts by: the server</source>
        <translation>Varsler fra: serveren</translation>
    </message>
    <message>
        <source>The server&apos;s rules raise the alerts.</source>
        <translation>Serverens regler lager varslene.</translation>
    </message>
    <message>
        <source>Not connected</source>
        <translation>Ikke tilkoblet</translation>
    </message>
    <message>
        <source>Not connected to the server: new values, alerts and colleagues&apos; changes are not shown until the connection is back.</source>
        <translation>Ikke tilkoblet serveren: nye målinger, varsler og kollegers endringer vises ikke før forbindelsen er tilbake.</translation>
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
    <name>MeasurementPanel</name>
    <message>
        <source>Table</source>
        <translation>Tabell</translation>
    </message>
    <message>
        <source>Show %1 as a table</source>
        <translation>Vis %1 som tabell</translation>
    </message>
    <message>
        <source>Limits…</source>
        <translation>Grenser…</translation>
    </message>
    <message>
        <source>Limits and measuring times for %1</source>
        <translation>Grenser og måletider for %1</translation>
    </message>
    <message>
        <source>Trend: %1</source>
        <translation>Trend: %1</translation>
    </message>
    <message>
        <source>No measurements in this period</source>
        <translation>Ingen målinger i perioden</translation>
    </message>
    <message>
        <source>Table: %1</source>
        <translation>Tabell: %1</translation>
    </message>
    <message>
        <source>Plot</source>
        <translation>Graf</translation>
    </message>
    <message>
        <source>Show %1 as a plot</source>
        <translation>Vis %1 som graf</translation>
    </message>
    <message>
        <source>no limits</source>
        <translation>ingen grenser</translation>
    </message>
    <message>
        <source>standard limits (template), not the patient&apos;s own</source>
        <translation>standardgrenser (mal), ikke pasientens egne</translation>
    </message>
    <message>
        <source>the patient&apos;s own limits</source>
        <translation>pasientens egne grenser</translation>
    </message>
    <message>
        <source>%1: %2 %3 in %4 days</source>
        <translation>%1: %2 %3 på %4 dager</translation>
    </message>
    <message>
        <source>Latest: %1</source>
        <translation>Siste: %1</translation>
    </message>
</context>
<context>
    <name>MeasurementTableModel</name>
    <message>
        <source>Time</source>
        <translation>Tidspunkt</translation>
    </message>
    <message>
        <source>Level</source>
        <translation>Nivå</translation>
    </message>
</context>
<context>
    <name>MessagesView</name>
    <message>
        <source>Collaboration between services – not visible to the patient</source>
        <translation>Samhandling mellom tjenester – ikke synlig for pasienten</translation>
    </message>
    <message>
        <source>Messages with the patient and relatives</source>
        <translation>Meldinger med pasient og pårørende</translation>
    </message>
    <message>
        <source>Messages between services</source>
        <translation>Meldinger mellom tjenester</translation>
    </message>
    <message>
        <source>To: the patient</source>
        <translation>Til: pasienten</translation>
    </message>
    <message>
        <source>Quick replies</source>
        <translation>Hurtigsvar</translation>
    </message>
    <message>
        <source>&amp;Quick reply:</source>
        <translation>&amp;Hurtigsvar:</translation>
    </message>
    <message>
        <source>Edit quick replies…</source>
        <translation>Rediger hurtigsvar …</translation>
    </message>
    <message>
        <source>Edit the department&apos;s quick replies</source>
        <translation>Rediger avdelingens hurtigsvar</translation>
    </message>
    <message>
        <source>Messages to patients…</source>
        <translation>Meldinger til pasienter …</translation>
    </message>
    <message>
        <source>Edit the department&apos;s messages to patients</source>
        <translation>Rediger avdelingens meldinger til pasienter</translation>
    </message>
    <message>
        <source>Write a reply (Ctrl+Enter sends)</source>
        <translation>Skriv et svar (Ctrl+Enter sender)</translation>
    </message>
    <message>
        <source>Write to the collaborating services (Ctrl+Enter sends)</source>
        <translation>Skriv til samarbeidende tjenester (Ctrl+Enter sender)</translation>
    </message>
    <message>
        <source>Reply to the patient</source>
        <translation>Svar til pasienten</translation>
    </message>
    <message>
        <source>Message to the services</source>
        <translation>Melding til tjenestene</translation>
    </message>
    <message>
        <source>&amp;Send</source>
        <translation>&amp;Send</translation>
    </message>
    <message>
        <source>Send the message</source>
        <translation>Send meldingen</translation>
    </message>
    <message>
        <source>Send &amp;again</source>
        <translation>Send &amp;igjen</translation>
    </message>
    <message>
        <source>Send the selected unsent message again</source>
        <translation>Send den valgte usendte meldingen igjen</translation>
    </message>
    <message>
        <source>Also to %1</source>
        <translation>Også til %1</translation>
    </message>
    <message>
        <source>Choose a quick reply…</source>
        <translation>Velg et hurtigsvar …</translation>
    </message>
    <message>
        <source>One quick reply per line. They are shared by everyone in the department.</source>
        <translation>Ett hurtigsvar per linje. De deles av alle i avdelingen.</translation>
    </message>
    <message>
        <source>Quick replies, one per line</source>
        <translation>Hurtigsvar, ett per linje</translation>
    </message>
    <message>
        <source>Messages</source>
        <translation>Meldinger</translation>
    </message>
    <message>
        <source>Start &amp;video call</source>
        <translation>Start &amp;videosamtale</translation>
    </message>
    <message>
        <source>Start a video call with the patient</source>
        <translation>Start en videosamtale med pasienten</translation>
    </message>
    <message>
        <source>Threads</source>
        <translation>Samtaler</translation>
    </message>
    <message>
        <source>Message status</source>
        <translation>Meldingsstatus</translation>
    </message>
    <message>
        <source>Messages – %1</source>
        <translation>Meldinger – %1</translation>
    </message>
    <message>
        <source>Loading messages…</source>
        <translation>Henter meldinger …</translation>
    </message>
    <message>
        <source>&amp;Patient and relatives</source>
        <translation>&amp;Pasient og pårørende</translation>
    </message>
    <message>
        <source>&amp;Between services (not visible to the patient)</source>
        <translation>&amp;Mellom tjenester (ikke synlig for pasienten)</translation>
    </message>
    <message>
        <source>(%1 unread)</source>
        <translation>(%1 uleste)</translation>
    </message>
    <message>
        <source>Something went wrong: %1</source>
        <translation>Noe gikk galt: %1</translation>
    </message>
    <message>
        <source>The patient has no department to store quick replies for.</source>
        <translation>Pasienten har ingen avdeling å lagre hurtigsvar for.</translation>
    </message>
    <message>
        <source>Quick replies saved.</source>
        <translation>Hurtigsvarene er lagret.</translation>
    </message>
</context>
<context>
    <name>MessagingService</name>
    <message>
        <source>Thank you for the measurement, we will call you today.</source>
        <translation>Takk for målingen, vi ringer deg i løpet av dagen.</translation>
    </message>
    <message>
        <source>Thank you, everything looks fine.</source>
        <translation>Takk, alt ser fint ut.</translation>
    </message>
    <message>
        <source>Please measure again in 15 minutes.</source>
        <translation>Vær så snill å måle igjen om 15 minutter.</translation>
    </message>
    <message>
        <source>We have received your message and will get back to you.</source>
        <translation>Vi har fått meldingen din og tar kontakt.</translation>
    </message>
</context>
<context>
    <name>Outbox</name>
    <message>
        <source>Messages not sent: %1. They are kept only in this window&apos;s memory and will be lost if you close the console.</source>
        <extracomment>Server answers worth trying again: the request may not have been handled at all. 409: a serialization conflict (Medplum answers it to concurrent conditional creates); the create is conditional, so sending it again cannot make a second message. An `OutgoingMessage` changed state (sending → sent / failed, or another attempt). (OutgoingMessage, stored Communication dict) once the server has it. Number of unsent messages (sending or failed) changed.</extracomment>
        <translation>Meldinger som ikke er sendt: %1. De finnes bare i minnet til dette vinduet og går tapt hvis du lukker konsollen.</translation>
    </message>
</context>
<context>
    <name>PatientListModel</name>
    <message>
        <source>Status</source>
        <extracomment>The patient&apos;s plan states limits of its own (else every value is on the template). Sort value for the model&apos;s current sort column (None sorts last either way). Display texts per column, valid for the minute in `display_minute` (ages move on). What the table&apos;s cell delegate paints, per column; valid as long as `display` is. How often live changes may move rows in the console (values change in place at once). Live changes move rows at most this often (0: at once). Values change in place at once; rows jumping several times a second is hard to read and each move repaints the whole table. Rows per triage level among the visible ones, kept up to date by `update`, so a live batch does not count 10,000 rows again for the status bar; None: count anew. Visible rows whose place in the order may have changed since the last re-sort (their sort value or name changed, or they arrived); None: anything may have. Level of each patient&apos;s open alerts (from the alert queue), folded into the status. Each patient&apos;s own limits from the plan; patients absent are on the templates.</extracomment>
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
        <source>Unread</source>
        <translation>Uleste</translation>
    </message>
    <message>
        <source>Last report</source>
        <translation>Sist rapportert</translation>
    </message>
    <message>
        <source>has open alerts in the queue</source>
        <translation>har åpne varsler i køen</translation>
    </message>
    <message>
        <source>standard limits: the plan states no limits of its own</source>
        <translation>standardgrenser: planen har ingen egne grenser</translation>
    </message>
    <message>
        <source>No measurement</source>
        <translation>Ingen måling</translation>
    </message>
    <message>
        <source>the patient&apos;s own limits</source>
        <translation>pasientens egne grenser</translation>
    </message>
    <message>
        <source>standard limits</source>
        <translation>standardgrenser</translation>
    </message>
    <message numerus="yes">
        <source>%n unread message(s)</source>
        <translation>
            <numerusform>%n ulest melding</numerusform>
            <numerusform>%n uleste meldinger</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>PatientPage</name>
    <message>
        <source>Patient</source>
        <extracomment>Roles that may change a patient&apos;s thresholds and schedule. Plots kept ready for the next patient view: one per kind of measurement a plan can have.</extracomment>
        <translation>Pasient</translation>
    </message>
    <message>
        <source>&amp;Overview</source>
        <translation>&amp;Oversikt</translation>
    </message>
    <message>
        <source>&amp;Messages</source>
        <translation>&amp;Meldinger</translation>
    </message>
</context>
<context>
    <name>PatientTextsEditor</name>
    <message>
        <source>Request to measure again</source>
        <translation>Be om ny måling</translation>
    </message>
    <message>
        <source>Reminder about a missing measurement</source>
        <translation>Påminnelse om manglende måling</translation>
    </message>
    <message>
        <source>Video call invitation</source>
        <translation>Invitasjon til videosamtale</translation>
    </message>
    <message>
        <source>Bokmål</source>
        <translation>Bokmål</translation>
    </message>
    <message>
        <source>Nynorsk</source>
        <translation>Nynorsk</translation>
    </message>
    <message>
        <source>English</source>
        <translation>Engelsk</translation>
    </message>
    <message>
        <source>Messages to patients</source>
        <translation>Meldinger til pasienter</translation>
    </message>
    <message>
        <source>What the console sends patients, in the patient&apos;s own language. The department shares these texts; an empty text uses the built-in one. Placeholders: {first_name}, {measurement}, {due}, {link}, {nurse}, {service}.</source>
        <translation>Det konsollen sender til pasienter, på pasientens eget språk. Avdelingen deler disse tekstene; en tom tekst bruker den innebygde. Plassholdere: {first_name} (fornavn), {measurement} (målingen), {due} (planlagt tid), {link} (lenke), {nurse} (sykepleier), {service} (tjenesten).</translation>
    </message>
    <message>
        <source>Which message</source>
        <translation>Hvilken melding</translation>
    </message>
    <message>
        <source>Language the patient reads</source>
        <translation>Språket pasienten leser</translation>
    </message>
    <message>
        <source>&amp;Message:</source>
        <translation>&amp;Melding:</translation>
    </message>
    <message>
        <source>&amp;Language:</source>
        <translation>&amp;Språk:</translation>
    </message>
    <message>
        <source>Text of the message</source>
        <translation>Teksten i meldingen</translation>
    </message>
    <message>
        <source>Preview</source>
        <translation>Forhåndsvisning</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>Use the &amp;default</source>
        <translation>Bruk &amp;standardteksten</translation>
    </message>
    <message>
        <source>&amp;Save</source>
        <translation>&amp;Lagre</translation>
    </message>
    <message>
        <source>&amp;Close</source>
        <translation>&amp;Lukk</translation>
    </message>
    <message>
        <source>Unknown placeholder: %1</source>
        <translation>Ukjent plassholder: %1</translation>
    </message>
    <message>
        <source>The patient reads: %1</source>
        <translation>Pasienten leser: %1</translation>
    </message>
    <message>
        <source>Saving…</source>
        <translation>Lagrer …</translation>
    </message>
    <message>
        <source>Saved.</source>
        <translation>Lagret.</translation>
    </message>
    <message>
        <source>Not saved: %1</source>
        <translation>Ikke lagret: %1</translation>
    </message>
</context>
<context>
    <name>PatientView</name>
    <message>
        <source>respiration rate</source>
        <extracomment>Order of the plots when the plan does not say (the patient list&apos;s order).</extracomment>
        <translation>respirasjonsfrekvens</translation>
    </message>
    <message>
        <source>SpO₂</source>
        <translation>SpO₂</translation>
    </message>
    <message>
        <source>air or oxygen</source>
        <translation>luft eller oksygen</translation>
    </message>
    <message>
        <source>systolic BP</source>
        <translation>systolisk BT</translation>
    </message>
    <message>
        <source>pulse</source>
        <translation>puls</translation>
    </message>
    <message>
        <source>consciousness</source>
        <translation>bevissthet</translation>
    </message>
    <message>
        <source>temperature</source>
        <translation>temperatur</translation>
    </message>
    <message>
        <source>(standard)</source>
        <translation>(standard)</translation>
    </message>
    <message>
        <source>Systolic yellow</source>
        <translation>Systolisk gul</translation>
    </message>
    <message>
        <source>Systolic red</source>
        <translation>Systolisk rød</translation>
    </message>
    <message>
        <source>Yellow</source>
        <translation>Gul</translation>
    </message>
    <message>
        <source>Red</source>
        <translation>Rød</translation>
    </message>
    <message>
        <source>Systolic</source>
        <translation>Systolisk</translation>
    </message>
    <message>
        <source>Diastolic</source>
        <translation>Diastolisk</translation>
    </message>
    <message>
        <source>Patient</source>
        <extracomment>Ready-built plots (the workbench keeps a pool filled in idle time).</extracomment>
        <translation>Pasient</translation>
    </message>
    <message>
        <source>Period shown</source>
        <translation>Vist periode</translation>
    </message>
    <message>
        <source>Loading status</source>
        <translation>Lastestatus</translation>
    </message>
    <message>
        <source>&amp;Alerts in the period</source>
        <translation>&amp;Varsler i perioden</translation>
    </message>
    <message>
        <source>Alerts</source>
        <translation>Varsler</translation>
    </message>
    <message>
        <source>&amp;Questionnaire answers</source>
        <translation>&amp;Svar på spørreskjema</translation>
    </message>
    <message>
        <source>Questionnaire answers</source>
        <translation>Svar på spørreskjema</translation>
    </message>
    <message>
        <source>&amp;Video calls</source>
        <translation>&amp;Videosamtaler</translation>
    </message>
    <message>
        <source>Video calls</source>
        <translation>Videosamtaler</translation>
    </message>
    <message>
        <source>National ID number</source>
        <translation>Fødselsnummer</translation>
    </message>
    <message>
        <source>&amp;Show</source>
        <translation>&amp;Vis</translation>
    </message>
    <message>
        <source>Show the full national ID number (logged)</source>
        <translation>Vis hele fødselsnummeret (logges)</translation>
    </message>
    <message>
        <source>NEWS2 score</source>
        <translation>NEWS2-skår</translation>
    </message>
    <message>
        <source>Could not load: %1</source>
        <translation>Kunne ikke laste: %1</translation>
    </message>
    <message>
        <source>Loading…</source>
        <translation>Laster …</translation>
    </message>
    <message numerus="yes">
        <source>%n measurement(s) loaded</source>
        <translation>
            <numerusform>%n måling lastet</numerusform>
            <numerusform>%n målinger lastet</numerusform>
        </translation>
    </message>
    <message>
        <source>Loading history… %1</source>
        <translation>Laster historikk … %1</translation>
    </message>
    <message>
        <source>National ID: %1</source>
        <translation>Fødselsnr.: %1</translation>
    </message>
    <message>
        <source>Department: %1</source>
        <translation>Avdeling: %1</translation>
    </message>
    <message>
        <source>Programme: %1</source>
        <translation>Program: %1</translation>
    </message>
    <message>
        <source>Responsible nurse: %1</source>
        <translation>Ansvarlig sykepleier: %1</translation>
    </message>
    <message>
        <source>GP: %1</source>
        <translation>Fastlege: %1</translation>
    </message>
    <message>
        <source>Relatives: %1</source>
        <translation>Pårørende: %1</translation>
    </message>
    <message>
        <source>none registered</source>
        <translation>ingen registrert</translation>
    </message>
    <message>
        <source>from the server</source>
        <translation>fra serveren</translation>
    </message>
    <message>
        <source>computed here</source>
        <translation>beregnet i konsollen</translation>
    </message>
    <message>
        <source>NEWS2: %1</source>
        <translation>NEWS2: %1</translation>
    </message>
    <message>
        <source>(partial)</source>
        <translation>(delvis)</translation>
    </message>
    <message>
        <source>Missing: %1</source>
        <translation>Mangler: %1</translation>
    </message>
    <message>
        <source>Your role may view but not change the plan (read-only).</source>
        <translation>Rollen din kan se, men ikke endre planen (skrivebeskyttet).</translation>
    </message>
    <message>
        <source>No plan and no measurements for this patient.</source>
        <translation>Ingen plan og ingen målinger for denne pasienten.</translation>
    </message>
    <message numerus="yes">
        <source>%n year(s)</source>
        <translation>
            <numerusform>%n år</numerusform>
            <numerusform>%n år</numerusform>
        </translation>
    </message>
    <message>
        <source>Alert: %1</source>
        <translation>Varsel: %1</translation>
    </message>
    <message>
        <source>Missing</source>
        <translation>Mangler</translation>
    </message>
</context>
<context>
    <name>QuestionnaireModel</name>
    <message>
        <source>Answered</source>
        <translation>Besvart</translation>
    </message>
    <message>
        <source>Questionnaire</source>
        <translation>Spørreskjema</translation>
    </message>
    <message>
        <source>Flagged answers</source>
        <translation>Flaggede svar</translation>
    </message>
    <message>
        <source>none</source>
        <translation>ingen</translation>
    </message>
</context>
<context>
    <name>ResolveDialog</name>
    <message>
        <source>Resolve alert – %1</source>
        <extracomment>Draft note for (outcome, comment); the service&apos;s `draft_note` bound to the patient.</extracomment>
        <translation>Avslutt varsel – %1</translation>
    </message>
    <message>
        <source>Resolve alert</source>
        <translation>Avslutt varsel</translation>
    </message>
    <message>
        <source>Alert summary</source>
        <translation>Sammendrag av varselet</translation>
    </message>
    <message>
        <source>A new measurement was within the limits: this may be a measurement error.</source>
        <translation>En ny måling var innenfor grensene: dette kan være en målefeil.</translation>
    </message>
    <message>
        <source>The value looks implausible compared with the patient&apos;s recent values. Check with the patient before you call it a measurement error.</source>
        <translation>Verdien virker usannsynlig sammenlignet med pasientens siste verdier. Sjekk med pasienten før du kaller det en målefeil.</translation>
    </message>
    <message>
        <source>Outcome</source>
        <translation>Utfall</translation>
    </message>
    <message>
        <source>Choose what was done; nothing is chosen for you.</source>
        <translation>Velg hva som ble gjort; ingenting er valgt på forhånd.</translation>
    </message>
    <message>
        <source>&amp;Comment (goes into the note):</source>
        <translation>&amp;Kommentar (tas med i notatet):</translation>
    </message>
    <message>
        <source>Comment</source>
        <translation>Kommentar</translation>
    </message>
    <message>
        <source>Draft journal &amp;note:</source>
        <translation>Utkast til journal&amp;notat:</translation>
    </message>
    <message>
        <source>Draft journal note</source>
        <translation>Utkast til journalnotat</translation>
    </message>
    <message>
        <source>&amp;Copy note</source>
        <translation>K&amp;opier notat</translation>
    </message>
    <message>
        <source>Copy the journal note to the clipboard</source>
        <translation>Kopier journalnotatet til utklippstavlen</translation>
    </message>
    <message>
        <source>Ask for a new &amp;measurement</source>
        <translation>Be om ny &amp;måling</translation>
    </message>
    <message>
        <source>Ask the patient for a new measurement</source>
        <translation>Be pasienten om en ny måling</translation>
    </message>
    <message>
        <source>&amp;Resolve</source>
        <translation>&amp;Avslutt varsel</translation>
    </message>
    <message>
        <source>Resolve the alert</source>
        <translation>Avslutt varselet</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Avbryt</translation>
    </message>
    <message>
        <source>Copied ✓</source>
        <translation>Kopiert ✓</translation>
    </message>
    <message>
        <source>New measurement requested ✓</source>
        <translation>Ny måling etterspurt ✓</translation>
    </message>
    <message>
        <source>Choose an outcome to see the draft note.</source>
        <translation>Velg et utfall for å se utkastet til journalnotat.</translation>
    </message>
</context>
<context>
    <name>ReviewService</name>
    <message>
        <source>The review could not be loaded: %1</source>
        <extracomment>Roles that may open the review; per-nurse figures are for leads and administrators only. Days per request: a week of a 2,000-patient centre is one modest answer. Requests in flight at once (the server works on one while the console decodes another).</extracomment>
        <translation>Oversikten kunne ikke lastes: %1</translation>
    </message>
</context>
<context>
    <name>ReviewTables</name>
    <message>
        <source>%1 min</source>
        <extracomment>How a column&apos;s values are shown: text, int, number (1 decimal), minutes (from seconds), percent (from a share 0–1), date. Row → patient id, for tables a lead can open a patient from.</extracomment>
        <translation>%1 min</translation>
    </message>
    <message>
        <source>%1 h %2 min</source>
        <translation>%1 t %2 min</translation>
    </message>
    <message>
        <source>Week %1 (%2)</source>
        <translation>Uke %1 (%2)</translation>
    </message>
    <message>
        <source>Wk %1</source>
        <translation>Uke %1</translation>
    </message>
    <message>
        <source>Monday</source>
        <translation>Mandag</translation>
    </message>
    <message>
        <source>Tuesday</source>
        <translation>Tirsdag</translation>
    </message>
    <message>
        <source>Wednesday</source>
        <translation>Onsdag</translation>
    </message>
    <message>
        <source>Thursday</source>
        <translation>Torsdag</translation>
    </message>
    <message>
        <source>Friday</source>
        <translation>Fredag</translation>
    </message>
    <message>
        <source>Saturday</source>
        <translation>Lørdag</translation>
    </message>
    <message>
        <source>Sunday</source>
        <translation>Søndag</translation>
    </message>
    <message>
        <source>Adherence items (missing measurements)</source>
        <translation>Oppfølgingspunkter (manglende målinger)</translation>
    </message>
    <message>
        <source>Alerts</source>
        <translation>Varsler</translation>
    </message>
    <message>
        <source>Claimed</source>
        <translation>Tatt</translation>
    </message>
    <message>
        <source>Median to claim</source>
        <translation>Median til tatt</translation>
    </message>
    <message>
        <source>p90 to claim</source>
        <translation>p90 til tatt</translation>
    </message>
    <message>
        <source>Resolved</source>
        <translation>Avsluttet</translation>
    </message>
    <message>
        <source>Median to resolve</source>
        <translation>Median til avsluttet</translation>
    </message>
    <message>
        <source>p90 to resolve</source>
        <translation>p90 til avsluttet</translation>
    </message>
    <message>
        <source>Still waiting</source>
        <translation>Venter fortsatt</translation>
    </message>
    <message>
        <source>Times are counted in opening hours. Median: the middle value; p90: 9 in 10 alerts were faster.</source>
        <translation>Tidene regnes i åpningstiden. Median: den midterste verdien; p90: 9 av 10 varsler gikk raskere.</translation>
    </message>
    <message>
        <source>Key figures</source>
        <translation>Nøkkeltall</translation>
    </message>
    <message>
        <source>Figure</source>
        <translation>Tall</translation>
    </message>
    <message>
        <source>Value</source>
        <translation>Verdi</translation>
    </message>
    <message>
        <source>Patients followed at the end of the range</source>
        <translation>Pasienter fulgt opp ved periodens slutt</translation>
    </message>
    <message>
        <source>Enrolled in the range</source>
        <translation>Innskrevet i perioden</translation>
    </message>
    <message>
        <source>Discharged in the range</source>
        <translation>Utskrevet i perioden</translation>
    </message>
    <message>
        <source>Nurses with a role here (people, not full-time posts)</source>
        <translation>Sykepleiere med rolle her (personer, ikke årsverk)</translation>
    </message>
    <message>
        <source>Patients per nurse</source>
        <translation>Pasienter per sykepleier</translation>
    </message>
    <message>
        <source>Nurses needed at %1 patients per nurse</source>
        <translation>Sykepleiere som trengs ved %1 pasienter per sykepleier</translation>
    </message>
    <message>
        <source>Clinical alerts</source>
        <translation>Kliniske varsler</translation>
    </message>
    <message>
        <source>High-priority alerts claimed within %1 min</source>
        <translation>Varsler med høy prioritet tatt innen %1 min</translation>
    </message>
    <message>
        <source>Closed as measurement error</source>
        <translation>Avsluttet som målefeil</translation>
    </message>
    <message>
        <source>Escalated</source>
        <translation>Eskalert</translation>
    </message>
    <message>
        <source>Waited for the centre to open</source>
        <translation>Ventet på at senteret åpnet</translation>
    </message>
    <message>
        <source>Still open at the end of the range</source>
        <translation>Fortsatt åpne ved periodens slutt</translation>
    </message>
    <message>
        <source>Measurement adherence</source>
        <translation>Måleetterlevelse</translation>
    </message>
    <message>
        <source>Patients whose adherence is falling</source>
        <translation>Pasienter med synkende måleetterlevelse</translation>
    </message>
    <message>
        <source>Video consultations held</source>
        <translation>Videokonsultasjoner gjennomført</translation>
    </message>
    <message>
        <source>Caseload per department</source>
        <translation>Pasientgrunnlag per avdeling</translation>
    </message>
    <message>
        <source>Department</source>
        <translation>Avdeling</translation>
    </message>
    <message>
        <source>Patients</source>
        <translation>Pasienter</translation>
    </message>
    <message>
        <source>Enrolled</source>
        <translation>Innskrevet</translation>
    </message>
    <message>
        <source>Discharged</source>
        <translation>Utskrevet</translation>
    </message>
    <message>
        <source>Nurses</source>
        <translation>Sykepleiere</translation>
    </message>
    <message>
        <source>Median follow-up (days)</source>
        <translation>Median oppfølgingstid (dager)</translation>
    </message>
    <message>
        <source>All</source>
        <translation>Alle</translation>
    </message>
    <message>
        <source>Planning figure: %1 patients per full-time nurse. Nurses of the centre itself count in the total only.</source>
        <translation>Planleggingstall: %1 pasienter per sykepleierårsverk. Sykepleiere ved selve senteret telles bare med i summen.</translation>
    </message>
    <message>
        <source>Caseload per programme</source>
        <translation>Pasientgrunnlag per program</translation>
    </message>
    <message>
        <source>Programme</source>
        <translation>Program</translation>
    </message>
    <message>
        <source>Patients followed, enrolments and discharges per week</source>
        <translation>Pasienter fulgt opp, innskrivinger og utskrivinger per uke</translation>
    </message>
    <message>
        <source>Week</source>
        <translation>Uke</translation>
    </message>
    <message>
        <source>Patients at the end of the week</source>
        <translation>Pasienter ved slutten av uken</translation>
    </message>
    <message>
        <source>Alerts per day by priority</source>
        <translation>Varsler per dag etter prioritet</translation>
    </message>
    <message>
        <source>Alerts per week by priority</source>
        <translation>Varsler per uke etter prioritet</translation>
    </message>
    <message>
        <source>Day</source>
        <translation>Dag</translation>
    </message>
    <message>
        <source>Adherence items</source>
        <translation>Oppfølgingspunkter</translation>
    </message>
    <message>
        <source>Alerts by rule</source>
        <translation>Varsler etter regel</translation>
    </message>
    <message>
        <source>Rule</source>
        <translation>Regel</translation>
    </message>
    <message>
        <source>Alerts by department</source>
        <translation>Varsler etter avdeling</translation>
    </message>
    <message>
        <source>Clinical alerts per 100 patient-days</source>
        <translation>Kliniske varsler per 100 pasientdøgn</translation>
    </message>
    <message>
        <source>Per 100 patient-days</source>
        <translation>Per 100 pasientdøgn</translation>
    </message>
    <message>
        <source>No department</source>
        <translation>Ingen avdeling</translation>
    </message>
    <message>
        <source>Outcomes of resolved alerts</source>
        <translation>Utfall av avsluttede varsler</translation>
    </message>
    <message>
        <source>Outcome</source>
        <translation>Utfall</translation>
    </message>
    <message>
        <source>Share</source>
        <translation>Andel</translation>
    </message>
    <message>
        <source>Closed automatically (the measurement came): %1. Escalated: %2.</source>
        <translation>Lukket automatisk (målingen kom): %1. Eskalert: %2.</translation>
    </message>
    <message>
        <source>Response times by priority</source>
        <translation>Responstider etter prioritet</translation>
    </message>
    <message>
        <source>Priority</source>
        <translation>Prioritet</translation>
    </message>
    <message>
        <source>High-priority alerts claimed within %1 min: %2 of %3.</source>
        <translation>Varsler med høy prioritet tatt innen %1 min: %2 av %3.</translation>
    </message>
    <message>
        <source>Response times by department (clinical alerts)</source>
        <translation>Responstider etter avdeling (kliniske varsler)</translation>
    </message>
    <message>
        <source>Response times per week (clinical alerts)</source>
        <translation>Responstider per uke (kliniske varsler)</translation>
    </message>
    <message>
        <source>Response times by weekday raised (clinical alerts)</source>
        <translation>Responstider etter ukedag varselet kom (kliniske varsler)</translation>
    </message>
    <message>
        <source>Weekday</source>
        <translation>Ukedag</translation>
    </message>
    <message>
        <source>Response times by hour raised (clinical alerts)</source>
        <translation>Responstider etter klokkeslett varselet kom (kliniske varsler)</translation>
    </message>
    <message>
        <source>Hour</source>
        <translation>Time</translation>
    </message>
    <message>
        <source>Scheduled</source>
        <translation>Planlagt</translation>
    </message>
    <message>
        <source>Delivered</source>
        <translation>Levert</translation>
    </message>
    <message>
        <source>Adherence</source>
        <translation>Etterlevelse</translation>
    </message>
    <message>
        <source>Measurement adherence per programme</source>
        <translation>Måleetterlevelse per program</translation>
    </message>
    <message>
        <source>Scheduled: the measurements of each plan&apos;s times inside the range and the enrolment. A day&apos;s measurements count up to that day&apos;s schedule.</source>
        <translation>Planlagt: målingene etter hver plans klokkeslett innenfor perioden og innskrivingen. En dags målinger telles opp til det som var planlagt den dagen.</translation>
    </message>
    <message>
        <source>Measurement adherence per department</source>
        <translation>Måleetterlevelse per avdeling</translation>
    </message>
    <message>
        <source>Measurement adherence per week and programme</source>
        <translation>Måleetterlevelse per uke og program</translation>
    </message>
    <message>
        <source>Patient</source>
        <translation>Pasient</translation>
    </message>
    <message>
        <source>Before</source>
        <translation>Før</translation>
    </message>
    <message>
        <source>Last %1 days</source>
        <translation>Siste %1 dager</translation>
    </message>
    <message>
        <source>Whole range</source>
        <translation>Hele perioden</translation>
    </message>
    <message>
        <source>Falling: the last %1 days at least %2 percentage points below the days before. Open a patient with Enter or a double click.</source>
        <translation>Synkende: de siste %1 dagene minst %2 prosentpoeng lavere enn dagene før. Åpne en pasient med Enter eller dobbeltklikk.</translation>
    </message>
    <message>
        <source>Measurement adherence per patient</source>
        <translation>Måleetterlevelse per pasient</translation>
    </message>
    <message>
        <source>Benefits (estimate)</source>
        <translation>Gevinster (anslag)</translation>
    </message>
    <message>
        <source>Patient-weeks</source>
        <translation>Pasientuker</translation>
    </message>
    <message>
        <source>Video consultations</source>
        <translation>Videokonsultasjoner</translation>
    </message>
    <message>
        <source>Messages from patients</source>
        <translation>Meldinger fra pasienter</translation>
    </message>
    <message>
        <source>of them read</source>
        <translation>av dem lest</translation>
    </message>
    <message>
        <source>Messages sent</source>
        <translation>Meldinger sendt</translation>
    </message>
    <message>
        <source>Alerts handled without referral</source>
        <translation>Varsler håndtert uten henvisning</translation>
    </message>
    <message>
        <source>Alerts resolved</source>
        <translation>Varsler avsluttet</translation>
    </message>
    <message>
        <source>Baseline visits per patient-week</source>
        <translation>Besøk per pasientuke før (nullpunkt)</translation>
    </message>
    <message>
        <source>Minutes per visit</source>
        <translation>Minutter per besøk</translation>
    </message>
    <message>
        <source>Visits replaced (estimate)</source>
        <translation>Besøk erstattet (anslag)</translation>
    </message>
    <message>
        <source>Hours saved (estimate)</source>
        <translation>Timer spart (anslag)</translation>
    </message>
    <message>
        <source>Per nurse (counts and times, not a ranking)</source>
        <translation>Per sykepleier (antall og tider, ikke en rangering)</translation>
    </message>
    <message>
        <source>Nurse</source>
        <translation>Sykepleier</translation>
    </message>
    <message>
        <source>Patients as responsible nurse</source>
        <translation>Pasienter som ansvarlig sykepleier</translation>
    </message>
    <message>
        <source>Listed by name. For the department lead only.</source>
        <translation>Ordnet etter navn. Bare for avdelingsleder.</translation>
    </message>
    <message>
        <source>This is an estimate, not a measurement: patient-weeks followed × the visits per patient-week the department had before DHO (its baseline, entered by the lead) × the minutes per visit. Home visits still made are not recorded here and are not subtracted. Without a baseline no estimate is shown.</source>
        <translation>Dette er et anslag, ikke en måling: pasientuker fulgt opp × besøkene per pasientuke avdelingen hadde før DHO (nullpunktsmålingen, lagt inn av lederen) × minutter per besøk. Hjemmebesøk som fortsatt gjøres, registreres ikke her og er ikke trukket fra. Uten nullpunktsmåling vises ikke noe anslag.</translation>
    </message>
</context>
<context>
    <name>ReviewView</name>
    <message>
        <source>Mon</source>
        <translation>man</translation>
    </message>
    <message>
        <source>Tue</source>
        <translation>tir</translation>
    </message>
    <message>
        <source>Wed</source>
        <translation>ons</translation>
    </message>
    <message>
        <source>Thu</source>
        <translation>tor</translation>
    </message>
    <message>
        <source>Fri</source>
        <translation>fre</translation>
    </message>
    <message>
        <source>Sat</source>
        <translation>lør</translation>
    </message>
    <message>
        <source>Sun</source>
        <translation>søn</translation>
    </message>
    <message>
        <source>closed</source>
        <translation>stengt</translation>
    </message>
    <message>
        <source>(default: the centre has published no opening hours)</source>
        <translation>(standard: senteret har ikke publisert åpningstid)</translation>
    </message>
    <message>
        <source>Review</source>
        <translation>Oversikt</translation>
    </message>
    <message>
        <source>Not available</source>
        <translation>Ikke tilgjengelig</translation>
    </message>
    <message>
        <source>The review is for department leads, superusers and administrators. You are signed in as %1, so it is not shown. Ask your department lead if you need these figures.</source>
        <translation>Oversikten er for avdelingsledere, superbrukere og administratorer. Du er logget inn som %1, så den vises ikke. Spør avdelingslederen din hvis du trenger tallene.</translation>
    </message>
    <message>
        <source>a user without one of these roles</source>
        <translation>en bruker uten en av disse rollene</translation>
    </message>
    <message>
        <source>&amp;Range:</source>
        <translation>&amp;Periode:</translation>
    </message>
    <message>
        <source>Range</source>
        <translation>Periode</translation>
    </message>
    <message>
        <source>Last 7 days</source>
        <translation>Siste 7 dager</translation>
    </message>
    <message>
        <source>Last 30 days</source>
        <translation>Siste 30 dager</translation>
    </message>
    <message>
        <source>Last 90 days (quarter)</source>
        <translation>Siste 90 dager (kvartal)</translation>
    </message>
    <message>
        <source>Previous week</source>
        <translation>Forrige uke</translation>
    </message>
    <message>
        <source>Previous month</source>
        <translation>Forrige måned</translation>
    </message>
    <message>
        <source>Previous quarter</source>
        <translation>Forrige kvartal</translation>
    </message>
    <message>
        <source>This month</source>
        <translation>Denne måneden</translation>
    </message>
    <message>
        <source>Custom</source>
        <translation>Egendefinert</translation>
    </message>
    <message>
        <source>First day</source>
        <translation>Første dag</translation>
    </message>
    <message>
        <source>Last day</source>
        <translation>Siste dag</translation>
    </message>
    <message>
        <source>&amp;Department:</source>
        <translation>&amp;Avdeling:</translation>
    </message>
    <message>
        <source>Department</source>
        <translation>Avdeling</translation>
    </message>
    <message>
        <source>All departments</source>
        <translation>Alle avdelinger</translation>
    </message>
    <message>
        <source>&amp;Update</source>
        <translation>&amp;Oppdater</translation>
    </message>
    <message>
        <source>Update the review (F5)</source>
        <translation>Oppdater oversikten (F5)</translation>
    </message>
    <message>
        <source>Loading progress</source>
        <translation>Lasting</translation>
    </message>
    <message>
        <source>Loading %p %</source>
        <translation>Laster %p %</translation>
    </message>
    <message>
        <source>&amp;Cancel</source>
        <translation>&amp;Avbryt</translation>
    </message>
    <message>
        <source>Cancel loading</source>
        <translation>Avbryt lastingen</translation>
    </message>
    <message>
        <source>C&amp;SV…</source>
        <translation>C&amp;SV …</translation>
    </message>
    <message>
        <source>Export the review as CSV</source>
        <translation>Eksporter oversikten som CSV</translation>
    </message>
    <message>
        <source>&amp;XLSX…</source>
        <translation>&amp;XLSX …</translation>
    </message>
    <message>
        <source>Export the review as an Excel workbook</source>
        <translation>Eksporter oversikten som Excel-arbeidsbok</translation>
    </message>
    <message>
        <source>&amp;PDF report…</source>
        <translation>PDF-&amp;rapport …</translation>
    </message>
    <message>
        <source>Export a printable PDF report</source>
        <translation>Eksporter en utskrivbar PDF-rapport</translation>
    </message>
    <message>
        <source>Where the figures come from</source>
        <translation>Hvor tallene kommer fra</translation>
    </message>
    <message>
        <source>Choose a range; the figures load in the background.</source>
        <translation>Velg en periode; tallene lastes i bakgrunnen.</translation>
    </message>
    <message>
        <source>Review sections</source>
        <translation>Deler av oversikten</translation>
    </message>
    <message>
        <source>&amp;Overview</source>
        <translation>Over&amp;blikk</translation>
    </message>
    <message>
        <source>Patients followed per week</source>
        <translation>Pasienter fulgt opp per uke</translation>
    </message>
    <message>
        <source>Planning figure: patients per full-time nurse</source>
        <translation>Planleggingstall: pasienter per sykepleierårsverk</translation>
    </message>
    <message>
        <source>Planning &amp;figure (patients per nurse):</source>
        <translation>Planleggings&amp;tall (pasienter per sykepleier):</translation>
    </message>
    <message>
        <source>&amp;Alerts</source>
        <translation>&amp;Varsler</translation>
    </message>
    <message>
        <source>Alerts by priority</source>
        <translation>Varsler etter prioritet</translation>
    </message>
    <message>
        <source>Response &amp;times</source>
        <translation>Respons&amp;tider</translation>
    </message>
    <message>
        <source>Time to claim per week</source>
        <translation>Tid til varselet ble tatt, per uke</translation>
    </message>
    <message>
        <source>Target for claiming high-priority alerts (minutes)</source>
        <translation>Mål for å ta varsler med høy prioritet (minutter)</translation>
    </message>
    <message>
        <source>Ta&amp;rget for high priority:</source>
        <translation>&amp;Mål for høy prioritet:</translation>
    </message>
    <message>
        <source>A&amp;dherence</source>
        <translation>&amp;Etterlevelse</translation>
    </message>
    <message>
        <source>Adherence per week</source>
        <translation>Måleetterlevelse per uke</translation>
    </message>
    <message>
        <source>&amp;Benefits</source>
        <translation>&amp;Gevinster</translation>
    </message>
    <message>
        <source>How the benefits are estimated</source>
        <translation>Hvordan gevinstene anslås</translation>
    </message>
    <message>
        <source>Per &amp;nurse</source>
        <translation>Per &amp;sykepleier</translation>
    </message>
    <message>
        <source>Loading cancelled. Press Update (F5) to load again.</source>
        <translation>Lastingen er avbrutt. Trykk Oppdater (F5) for å laste på nytt.</translation>
    </message>
    <message>
        <source>Opening hours: %1</source>
        <translation>Åpningstid: %1</translation>
    </message>
    <message>
        <source>Figures from the server&apos;s review operation in %1 s</source>
        <translation>Tall fra serverens oversiktsoperasjon på %1 s</translation>
    </message>
    <message>
        <source>Figures from standard FHIR searches in %1 s</source>
        <translation>Tall fra vanlige FHIR-søk på %1 s</translation>
    </message>
    <message>
        <source>Per-nurse figures are for department leads only</source>
        <translation>Tall per sykepleier er bare for avdelingsledere</translation>
    </message>
    <message>
        <source>%1 to %2</source>
        <translation>%1 til %2</translation>
    </message>
    <message>
        <source>Baseline before DHO (nullpunktsmåling):</source>
        <translation>Nullpunktsmåling før DHO:</translation>
    </message>
    <message>
        <source>Visits per patient per week</source>
        <translation>Besøk per pasient per uke</translation>
    </message>
    <message>
        <source>Minutes per visit (with travel)</source>
        <translation>Minutter per besøk (med reisetid)</translation>
    </message>
    <message>
        <source>Visits per patient per week before DHO: %1</source>
        <translation>Besøk per pasient per uke før DHO: %1</translation>
    </message>
    <message>
        <source>Minutes per visit: %1</source>
        <translation>Minutter per besøk: %1</translation>
    </message>
    <message>
        <source>Patients at the end of the week</source>
        <translation>Pasienter ved slutten av uken</translation>
    </message>
    <message>
        <source>patients</source>
        <translation>pasienter</translation>
    </message>
    <message>
        <source>Adherence items</source>
        <translation>Oppfølgingspunkter</translation>
    </message>
    <message>
        <source>alerts</source>
        <translation>varsler</translation>
    </message>
    <message>
        <source>Median to claim</source>
        <translation>Median til tatt</translation>
    </message>
    <message>
        <source>p90 to claim</source>
        <translation>p90 til tatt</translation>
    </message>
    <message>
        <source>minutes of opening hours</source>
        <translation>minutter i åpningstiden</translation>
    </message>
    <message>
        <source>% of scheduled measurements</source>
        <translation>% av planlagte målinger</translation>
    </message>
    <message>
        <source>Response centre</source>
        <translation>Responssenter</translation>
    </message>
    <message>
        <source>Made</source>
        <translation>Laget</translation>
    </message>
    <message>
        <source>Made by</source>
        <translation>Laget av</translation>
    </message>
    <message>
        <source>Opening hours</source>
        <translation>Åpningstid</translation>
    </message>
    <message>
        <source>Review – %1</source>
        <translation>Oversikt – %1</translation>
    </message>
    <message>
        <source>review-%1-%2.%3</source>
        <translation>oversikt-%1-%2.%3</translation>
    </message>
    <message>
        <source>CSV files (*.csv)</source>
        <translation>CSV-filer (*.csv)</translation>
    </message>
    <message>
        <source>Excel workbooks (*.xlsx)</source>
        <translation>Excel-arbeidsbøker (*.xlsx)</translation>
    </message>
    <message>
        <source>PDF documents (*.pdf)</source>
        <translation>PDF-dokumenter (*.pdf)</translation>
    </message>
    <message>
        <source>Export the review</source>
        <translation>Eksporter oversikten</translation>
    </message>
    <message>
        <source>Could not save %1: %2</source>
        <translation>Kunne ikke lagre %1: %2</translation>
    </message>
    <message>
        <source>Adherence for every patient is in the CSV and XLSX exports, not printed.</source>
        <translation>Måleetterlevelse for hver pasient finnes i CSV- og XLSX-eksporten, ikke i utskriften.</translation>
    </message>
    <message>
        <source>Range %1</source>
        <translation>Periode %1</translation>
    </message>
    <message>
        <source>Made %1 by %2 · DHO review</source>
        <translation>Laget %1 av %2 · DHO-oversikt</translation>
    </message>
    <message>
        <source>Page %1 of %2</source>
        <translation>Side %1 av %2</translation>
    </message>
</context>
<context>
    <name>ShortcutsHelp</name>
    <message>
        <source>J or ↓</source>
        <translation>J eller ↓</translation>
    </message>
    <message>
        <source>Next alert</source>
        <translation>Neste varsel</translation>
    </message>
    <message>
        <source>K or ↑</source>
        <translation>K eller ↑</translation>
    </message>
    <message>
        <source>Previous alert</source>
        <translation>Forrige varsel</translation>
    </message>
    <message>
        <source>C or Space</source>
        <translation>C eller mellomrom</translation>
    </message>
    <message>
        <source>Claim the alert</source>
        <translation>Ta varselet</translation>
    </message>
    <message>
        <source>U</source>
        <translation>U</translation>
    </message>
    <message>
        <source>Release the claim</source>
        <translation>Frigi varselet</translation>
    </message>
    <message>
        <source>Enter</source>
        <translation>Enter</translation>
    </message>
    <message>
        <source>Open the patient</source>
        <translation>Åpne pasienten</translation>
    </message>
    <message>
        <source>R</source>
        <translation>R</translation>
    </message>
    <message>
        <source>Resolve (choose an outcome)</source>
        <translation>Avslutt (velg utfall)</translation>
    </message>
    <message>
        <source>M</source>
        <translation>M</translation>
    </message>
    <message>
        <source>Comment</source>
        <translation>Kommenter</translation>
    </message>
    <message>
        <source>S</source>
        <translation>S</translation>
    </message>
    <message>
        <source>Snooze</source>
        <translation>Utsett</translation>
    </message>
    <message>
        <source>F</source>
        <translation>F</translation>
    </message>
    <message>
        <source>Forward to a department or a person</source>
        <translation>Videresend til en avdeling eller en person</translation>
    </message>
    <message>
        <source>N</source>
        <translation>N</translation>
    </message>
    <message>
        <source>Ask the patient for a new measurement</source>
        <translation>Be pasienten om en ny måling</translation>
    </message>
    <message>
        <source>Ctrl+M</source>
        <translation>Ctrl+M</translation>
    </message>
    <message>
        <source>Silence the sound for 5 minutes</source>
        <translation>Demp lyden i 5 minutter</translation>
    </message>
    <message>
        <source>F1 or ?</source>
        <translation>F1 eller ?</translation>
    </message>
    <message>
        <source>This help</source>
        <translation>Denne hjelpen</translation>
    </message>
    <message>
        <source>1–6</source>
        <translation>1–6</translation>
    </message>
    <message>
        <source>In the resolve dialog: pick the outcome</source>
        <translation>I avslutningsdialogen: velg utfall</translation>
    </message>
    <message>
        <source>Ctrl+Enter</source>
        <translation>Ctrl+Enter</translation>
    </message>
    <message>
        <source>In a dialog: save / resolve</source>
        <translation>I en dialog: lagre / avslutt</translation>
    </message>
    <message>
        <source>Esc</source>
        <translation>Esc</translation>
    </message>
    <message>
        <source>Close a dialog</source>
        <translation>Lukk en dialog</translation>
    </message>
    <message>
        <source>Keyboard shortcuts</source>
        <translation>Hurtigtaster</translation>
    </message>
    <message>
        <source>Keys</source>
        <translation>Taster</translation>
    </message>
    <message>
        <source>Action</source>
        <translation>Handling</translation>
    </message>
</context>
<context>
    <name>SnoozeDialog</name>
    <message>
        <source>Snooze – %1</source>
        <translation>Utsett – %1</translation>
    </message>
    <message>
        <source>Snooze the alert</source>
        <translation>Utsett varselet</translation>
    </message>
    <message>
        <source>Snooze for</source>
        <translation>Utsett i</translation>
    </message>
    <message numerus="yes">
        <source>%n minute(s)</source>
        <translation>
            <numerusform>%n minutt</numerusform>
            <numerusform>%n minutter</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n hour(s)</source>
        <translation>
            <numerusform>%n time</numerusform>
            <numerusform>%n timer</numerusform>
        </translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>Årsak</translation>
    </message>
    <message>
        <source>e.g. waiting for a new measurement</source>
        <translation>f.eks. venter på ny måling</translation>
    </message>
    <message>
        <source>Snooze &amp;for:</source>
        <translation>Utsett &amp;i:</translation>
    </message>
    <message>
        <source>&amp;Reason:</source>
        <translation>&amp;Årsak:</translation>
    </message>
    <message>
        <source>&amp;Snooze</source>
        <translation>&amp;Utsett</translation>
    </message>
</context>
<context>
    <name>Threads</name>
    <message>
        <source>mother</source>
        <translation>mor</translation>
    </message>
    <message>
        <source>father</source>
        <translation>far</translation>
    </message>
    <message>
        <source>parent</source>
        <translation>forelder</translation>
    </message>
    <message>
        <source>daughter</source>
        <translation>datter</translation>
    </message>
    <message>
        <source>son</source>
        <translation>sønn</translation>
    </message>
    <message>
        <source>child</source>
        <translation>barn</translation>
    </message>
    <message>
        <source>wife</source>
        <translation>kone</translation>
    </message>
    <message>
        <source>husband</source>
        <translation>ektemann</translation>
    </message>
    <message>
        <source>spouse</source>
        <translation>ektefelle</translation>
    </message>
    <message>
        <source>partner</source>
        <translation>samboer</translation>
    </message>
    <message>
        <source>sister</source>
        <translation>søster</translation>
    </message>
    <message>
        <source>brother</source>
        <translation>bror</translation>
    </message>
    <message>
        <source>sibling</source>
        <translation>søsken</translation>
    </message>
    <message>
        <source>grandchild</source>
        <translation>barnebarn</translation>
    </message>
    <message>
        <source>friend</source>
        <translation>venn</translation>
    </message>
    <message>
        <source>neighbour</source>
        <translation>nabo</translation>
    </message>
    <message>
        <source>Patient: %1</source>
        <translation>Pasient: %1</translation>
    </message>
    <message>
        <source>Patient</source>
        <translation>Pasient</translation>
    </message>
    <message>
        <source>unknown name</source>
        <translation>ukjent navn</translation>
    </message>
    <message>
        <source>Relative: %1 (%2)</source>
        <translation>Pårørende: %1 (%2)</translation>
    </message>
    <message>
        <source>Relative: %1</source>
        <translation>Pårørende: %1</translation>
    </message>
    <message>
        <source>Health worker</source>
        <translation>Helsepersonell</translation>
    </message>
    <message>
        <source>Nurse %1</source>
        <translation>Sykepleier %1</translation>
    </message>
    <message>
        <source>Service</source>
        <translation>Tjeneste</translation>
    </message>
    <message>
        <source>Unknown sender</source>
        <translation>Ukjent avsender</translation>
    </message>
    <message>
        <source>Read %1</source>
        <translation>Lest %1</translation>
    </message>
    <message>
        <source>Not read yet</source>
        <translation>Ikke lest ennå</translation>
    </message>
    <message>
        <source>Request to measure again</source>
        <translation>Ber om ny måling</translation>
    </message>
    <message>
        <source>Asks to be contacted</source>
        <translation>Ber om kontakt</translation>
    </message>
    <message>
        <source>New</source>
        <translation>Ny</translation>
    </message>
    <message>
        <source>Not sent – try again</source>
        <translation>Ikke sendt – prøv igjen</translation>
    </message>
    <message>
        <source>Sending …</source>
        <translation>Sender …</translation>
    </message>
    <message>
        <source>Sent</source>
        <translation>Sendt</translation>
    </message>
    <message>
        <source>You</source>
        <translation>Du</translation>
    </message>
</context>
<context>
    <name>ThresholdEditor</name>
    <message>
        <source>Thresholds and times: %1</source>
        <extracomment>Plausible values per measurement; outside them the input is refused as out of range.</extracomment>
        <translation>Grenser og tider: %1</translation>
    </message>
    <message>
        <source>Alert limits (a value below low or above high reaches the level)</source>
        <translation>Varslingsgrenser (en verdi under nedre eller over øvre grense når nivået)</translation>
    </message>
    <message>
        <source>Yellow, low</source>
        <translation>Gul, nedre</translation>
    </message>
    <message>
        <source>Yellow, high</source>
        <translation>Gul, øvre</translation>
    </message>
    <message>
        <source>Red, low</source>
        <translation>Rød, nedre</translation>
    </message>
    <message>
        <source>Red, high</source>
        <translation>Rød, øvre</translation>
    </message>
    <message>
        <source>none</source>
        <translation>ingen</translation>
    </message>
    <message>
        <source>Measuring times</source>
        <translation>Måletider</translation>
    </message>
    <message>
        <source>Measuring times (HH:MM, separated by commas)</source>
        <translation>Måletider (TT:MM, skilt med komma)</translation>
    </message>
    <message>
        <source>Times of day:</source>
        <translation>Klokkeslett:</translation>
    </message>
    <message>
        <source>Effect of the proposed limits</source>
        <translation>Virkning av de foreslåtte grensene</translation>
    </message>
    <message>
        <source>&amp;Save</source>
        <translation>&amp;Lagre</translation>
    </message>
    <message>
        <source>Save thresholds and times</source>
        <translation>Lagre grenser og tider</translation>
    </message>
    <message>
        <source>&amp;Close</source>
        <translation>&amp;Lukk</translation>
    </message>
    <message>
        <source>Close without saving</source>
        <translation>Lukk uten å lagre</translation>
    </message>
    <message>
        <source>Your role may view but not change the plan.</source>
        <translation>Rollen din kan se, men ikke endre planen.</translation>
    </message>
    <message>
        <source>The plan has no limits of its own: showing the standard template. Saving makes them the patient&apos;s own.</source>
        <translation>Planen har ingen egne grenser: viser standardmalen. Lagrer du, blir de pasientens egne.</translation>
    </message>
    <message>
        <source>The patient&apos;s own limits (version %1).</source>
        <translation>Pasientens egne grenser (versjon %1).</translation>
    </message>
    <message>
        <source>Not a number</source>
        <translation>Ikke et tall</translation>
    </message>
    <message>
        <source>Outside %1–%2</source>
        <translation>Utenfor %1–%2</translation>
    </message>
    <message>
        <source>Red low must be below yellow low: the red band lies outside the yellow one.</source>
        <translation>Rød nedre må være lavere enn gul nedre: rødt område ligger utenfor det gule.</translation>
    </message>
    <message>
        <source>Red high must be above yellow high: the red band lies outside the yellow one.</source>
        <translation>Rød øvre må være høyere enn gul øvre: rødt område ligger utenfor det gule.</translation>
    </message>
    <message>
        <source>Yellow low must be below yellow high.</source>
        <translation>Gul nedre må være lavere enn gul øvre.</translation>
    </message>
    <message>
        <source>Red low must be below red high.</source>
        <translation>Rød nedre må være lavere enn rød øvre.</translation>
    </message>
    <message>
        <source>“%1” is not a time (HH:MM)</source>
        <translation>«%1» er ikke et klokkeslett (TT:MM)</translation>
    </message>
    <message>
        <source>No measurements in the last 30 days.</source>
        <translation>Ingen målinger de siste 30 dagene.</translation>
    </message>
    <message>
        <source>Correct the input to see its effect.</source>
        <translation>Rett opp verdiene for å se virkningen.</translation>
    </message>
    <message>
        <source>Last 30 days: current limits %1 yellow and %2 red alerts; proposed %3 yellow and %4 red.</source>
        <translation>Siste 30 dager: gjeldende grenser %1 gule og %2 røde varsler; forslaget %3 gule og %4 røde.</translation>
    </message>
    <message>
        <source>Saving…</source>
        <translation>Lagrer …</translation>
    </message>
    <message>
        <source>Not saved: %1</source>
        <translation>Ikke lagret: %1</translation>
    </message>
    <message>
        <source>Saved.</source>
        <translation>Lagret.</translation>
    </message>
    <message>
        <source>another user</source>
        <translation>en annen bruker</translation>
    </message>
    <message>
        <source>Not saved: %1 changed this plan at %2. Their version is now the base; your values are still in the fields. Check them and save again.</source>
        <translation>Ikke lagret: %1 endret planen %2. Den versjonen er nå utgangspunktet; verdiene dine står fortsatt i feltene. Kontroller dem og lagre på nytt.</translation>
    </message>
</context>
<context>
    <name>TimeRangeSelector</name>
    <message>
        <source>Period:</source>
        <translation>Periode:</translation>
    </message>
    <message>
        <source>24 h</source>
        <translation>24 t</translation>
    </message>
    <message>
        <source>Last 24 hours</source>
        <translation>Siste 24 timer</translation>
    </message>
    <message>
        <source>7 d</source>
        <translation>7 d</translation>
    </message>
    <message>
        <source>Last 7 days</source>
        <translation>Siste 7 dager</translation>
    </message>
    <message>
        <source>30 d</source>
        <translation>30 d</translation>
    </message>
    <message>
        <source>Last 30 days</source>
        <translation>Siste 30 dager</translation>
    </message>
    <message>
        <source>90 d</source>
        <translation>90 d</translation>
    </message>
    <message>
        <source>Last 90 days</source>
        <translation>Siste 90 dager</translation>
    </message>
    <message>
        <source>1 year</source>
        <translation>1 år</translation>
    </message>
    <message>
        <source>Last year</source>
        <translation>Siste år</translation>
    </message>
    <message>
        <source>Custom…</source>
        <translation>Egendefinert …</translation>
    </message>
    <message>
        <source>Custom period</source>
        <translation>Egendefinert periode</translation>
    </message>
    <message>
        <source>Period start</source>
        <translation>Periodens start</translation>
    </message>
    <message>
        <source>Period end</source>
        <translation>Periodens slutt</translation>
    </message>
    <message>
        <source>&amp;From</source>
        <translation>&amp;Fra</translation>
    </message>
    <message>
        <source>&amp;to</source>
        <translation>&amp;til</translation>
    </message>
</context>
<context>
    <name>TrainerView</name>
    <message>
        <source>Oxygen saturation (SpO2)</source>
        <extracomment>Units of the measurements a trainer may inject (the scenario format&apos;s names).</extracomment>
        <translation>Oksygenmetning (SpO2)</translation>
    </message>
    <message>
        <source>Pulse</source>
        <translation>Puls</translation>
    </message>
    <message>
        <source>Body temperature</source>
        <translation>Kroppstemperatur</translation>
    </message>
    <message>
        <source>Body weight</source>
        <translation>Kroppsvekt</translation>
    </message>
    <message>
        <source>Blood glucose</source>
        <translation>Blodsukker</translation>
    </message>
    <message>
        <source>nothing loaded</source>
        <translation>ingenting lastet</translation>
    </message>
    <message>
        <source>ready to start</source>
        <translation>klar til start</translation>
    </message>
    <message>
        <source>running</source>
        <translation>går</translation>
    </message>
    <message>
        <source>paused</source>
        <translation>på pause</translation>
    </message>
    <message>
        <source>finished</source>
        <translation>ferdig</translation>
    </message>
    <message>
        <source>claimed the alert</source>
        <translation>tok varselet</translation>
    </message>
    <message>
        <source>opened the patient</source>
        <translation>åpnet pasienten</translation>
    </message>
    <message>
        <source>resolved the alert</source>
        <translation>avsluttet varselet</translation>
    </message>
    <message>
        <source>sent a message</source>
        <translation>sendte en melding</translation>
    </message>
    <message>
        <source>escalated</source>
        <translation>eskalerte</translation>
    </message>
    <message>
        <source>escalated by the server (not claimed in time)</source>
        <translation>eskalert av serveren (ikke tatt i tide)</translation>
    </message>
    <message>
        <source>started a video call</source>
        <translation>startet en videosamtale</translation>
    </message>
    <message>
        <source>forwarded</source>
        <translation>videresendte</translation>
    </message>
    <message>
        <source>wrote a comment</source>
        <translation>skrev en kommentar</translation>
    </message>
    <message>
        <source>snoozed the alert</source>
        <translation>utsatte varselet</translation>
    </message>
    <message>
        <source>released the alert</source>
        <translation>frigav varselet</translation>
    </message>
    <message>
        <source>Trainer&apos;s controls</source>
        <extracomment>FHIR Task priorities (an &quot;alert&quot; action&apos;s detail).</extracomment>
        <translation>Instruktørens kontroller</translation>
    </message>
    <message>
        <source>The trainer&apos;s controls are for superusers and administrators. Your role (%1) does not give access to them; your own debrief is under Training &gt; My debrief.</source>
        <translation>Instruktørens kontroller er for superbrukere og administratorer. Rollen din (%1) gir ikke tilgang til dem; din egen oppsummering finner du under Trening &gt; Min oppsummering.</translation>
    </message>
    <message>
        <source>Not for your role</source>
        <translation>Ikke for din rolle</translation>
    </message>
    <message>
        <source>1. Choose</source>
        <translation>1. Velg</translation>
    </message>
    <message>
        <source>S&amp;cenarios (tick the ones to run):</source>
        <translation>S&amp;cenarioer (kryss av dem som skal kjøres):</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>Tid</translation>
    </message>
    <message>
        <source>Scenario ev&amp;ents:</source>
        <translation>Scenarioets &amp;hendelser:</translation>
    </message>
    <message>
        <source>Scenario</source>
        <translation>Scenario</translation>
    </message>
    <message>
        <source>an alert was raised</source>
        <translation>et varsel ble laget</translation>
    </message>
    <message>
        <source>Training: the trainer’s controls</source>
        <translation>Trening: instruktørens kontroller</translation>
    </message>
    <message>
        <source>Patient group</source>
        <translation>Pasientgruppe</translation>
    </message>
    <message>
        <source>Duration</source>
        <translation>Varighet</translation>
    </message>
    <message>
        <source>Patients</source>
        <translation>Pasienter</translation>
    </message>
    <message>
        <source>Scenarios</source>
        <translation>Scenarioer</translation>
    </message>
    <message>
        <source>T&amp;rainees (training accounts):</source>
        <translation>&amp;Deltakere (treningsbrukere):</translation>
    </message>
    <message>
        <source>Trainees</source>
        <translation>Deltakere</translation>
    </message>
    <message>
        <source>&amp;Load chosen</source>
        <translation>&amp;Last valgte</translation>
    </message>
    <message>
        <source>Load the chosen</source>
        <translation>Last de valgte</translation>
    </message>
    <message>
        <source>Load a scenario file</source>
        <translation>Last en scenariofil</translation>
    </message>
    <message>
        <source>Load a scenario f&amp;ile…</source>
        <translation>Last en scenario&amp;fil …</translation>
    </message>
    <message>
        <source>E&amp;xport scenario…</source>
        <translation>E&amp;ksporter scenario …</translation>
    </message>
    <message>
        <source>Export the scenario file to share</source>
        <translation>Eksporter scenariofilen for å dele den</translation>
    </message>
    <message>
        <source>Problem</source>
        <translation>Problem</translation>
    </message>
    <message>
        <source>2. Run</source>
        <translation>2. Kjør</translation>
    </message>
    <message>
        <source>Start</source>
        <translation>Start</translation>
    </message>
    <message>
        <source>&amp;Start</source>
        <translation>&amp;Start</translation>
    </message>
    <message>
        <source>&amp;Pause</source>
        <translation>&amp;Pause</translation>
    </message>
    <message>
        <source>Pause</source>
        <translation>Pause</translation>
    </message>
    <message>
        <source>St&amp;ep to next event</source>
        <translation>&amp;Neste hendelse</translation>
    </message>
    <message>
        <source>Step</source>
        <translation>Neste hendelse</translation>
    </message>
    <message>
        <source>Rese&amp;t</source>
        <translation>&amp;Tilbakestill</translation>
    </message>
    <message>
        <source>Reset</source>
        <translation>Tilbakestill</translation>
    </message>
    <message>
        <source>Speed (simulated minutes per minute)</source>
        <translation>Hastighet (simulerte minutter per minutt)</translation>
    </message>
    <message>
        <source>Spee&amp;d:</source>
        <translation>&amp;Hastighet:</translation>
    </message>
    <message>
        <source>Run &amp;faster</source>
        <translation>Kjør &amp;raskere</translation>
    </message>
    <message>
        <source>Set the speed</source>
        <translation>Sett hastigheten</translation>
    </message>
    <message>
        <source>Session state</source>
        <translation>Øktens tilstand</translation>
    </message>
    <message>
        <source>3. Inject an event now</source>
        <translation>3. Legg inn en hendelse nå</translation>
    </message>
    <message>
        <source>Scenario patient</source>
        <translation>Scenariopasient</translation>
    </message>
    <message>
        <source>What to inject</source>
        <translation>Hva som legges inn</translation>
    </message>
    <message>
        <source>A measured value</source>
        <translation>En måleverdi</translation>
    </message>
    <message>
        <source>A message from the patient</source>
        <translation>En melding fra pasienten</translation>
    </message>
    <message>
        <source>A missed measurement</source>
        <translation>En uteblitt måling</translation>
    </message>
    <message>
        <source>Measurement</source>
        <translation>Måling</translation>
    </message>
    <message>
        <source>Value</source>
        <translation>Verdi</translation>
    </message>
    <message>
        <source>Message text</source>
        <translation>Meldingstekst</translation>
    </message>
    <message>
        <source>What the patient writes</source>
        <translation>Det pasienten skriver</translation>
    </message>
    <message>
        <source>Inject now</source>
        <translation>Legg inn nå</translation>
    </message>
    <message>
        <source>In&amp;ject now</source>
        <translation>Legg &amp;inn nå</translation>
    </message>
    <message>
        <source>P&amp;atient:</source>
        <translation>P&amp;asient:</translation>
    </message>
    <message>
        <source>&amp;Kind:</source>
        <translation>&amp;Type:</translation>
    </message>
    <message>
        <source>&amp;Measurement:</source>
        <translation>&amp;Måling:</translation>
    </message>
    <message>
        <source>&amp;Value:</source>
        <translation>&amp;Verdi:</translation>
    </message>
    <message>
        <source>Messa&amp;ge:</source>
        <translation>Me&amp;lding:</translation>
    </message>
    <message>
        <source>Trainees&apos; actions as they &amp;happen:</source>
        <translation>Deltakernes handlinger &amp;fortløpende:</translation>
    </message>
    <message>
        <source>Trainee</source>
        <translation>Deltaker</translation>
    </message>
    <message>
        <source>Action</source>
        <translation>Handling</translation>
    </message>
    <message>
        <source>Patient</source>
        <translation>Pasient</translation>
    </message>
    <message>
        <source>Detail</source>
        <translation>Detalj</translation>
    </message>
    <message>
        <source>Trainees&apos; actions</source>
        <translation>Deltakernes handlinger</translation>
    </message>
    <message>
        <source>Event</source>
        <translation>Hendelse</translation>
    </message>
    <message>
        <source>Done</source>
        <translation>Skjedd</translation>
    </message>
    <message>
        <source>Scenario events</source>
        <translation>Scenarioets hendelser</translation>
    </message>
    <message>
        <source>Show the debrief</source>
        <translation>Vis oppsummeringen</translation>
    </message>
    <message>
        <source>Show the de&amp;brief</source>
        <translation>Vis &amp;oppsummeringen</translation>
    </message>
    <message>
        <source>State: nothing loaded. Choose and load scenarios.</source>
        <translation>Tilstand: ingenting lastet. Velg og last scenarioer.</translation>
    </message>
    <message>
        <source>State: %1 · simulated time %2 · speed × %3 · %4 scenarios, %5 trainees</source>
        <translation>Tilstand: %1 · simulert tid %2 · hastighet × %3 · %4 scenarioer, %5 deltakere</translation>
    </message>
    <message>
        <source>✓ done</source>
        <translation>✓ skjedd</translation>
    </message>
    <message>
        <source>… to come</source>
        <translation>… kommer</translation>
    </message>
    <message>
        <source>trainee %1</source>
        <translation>deltaker %1</translation>
    </message>
    <message>
        <source>line %1</source>
        <translation>linje %1</translation>
    </message>
    <message>
        <source>field “%1”</source>
        <translation>felt «%1»</translation>
    </message>
    <message>
        <source>The scenario file was not loaded</source>
        <translation>Scenariofilen ble ikke lastet</translation>
    </message>
    <message>
        <source>Tick at least one scenario to load.</source>
        <translation>Kryss av minst ett scenario som skal lastes.</translation>
    </message>
    <message>
        <source>Scenario files (*.yaml *.yml *.json *.toml)</source>
        <translation>Scenariofiler (*.yaml *.yml *.json *.toml)</translation>
    </message>
    <message>
        <source>Could not read %1: %2</source>
        <translation>Kunne ikke lese %1: %2</translation>
    </message>
    <message>
        <source>Choose a scenario to export.</source>
        <translation>Velg et scenario som skal eksporteres.</translation>
    </message>
    <message>
        <source>Export the scenario file</source>
        <translation>Eksporter scenariofilen</translation>
    </message>
    <message>
        <source>Choose a scenario patient first.</source>
        <translation>Velg en scenariopasient først.</translation>
    </message>
    <message>
        <source>Write the message the patient sends.</source>
        <translation>Skriv meldingen pasienten sender.</translation>
    </message>
</context>
<context>
    <name>TrainingFeature</name>
    <message>
        <source>&amp;Trainer&apos;s controls…</source>
        <translation>&amp;Instruktørens kontroller …</translation>
    </message>
    <message>
        <source>&amp;Debrief…</source>
        <translation>&amp;Oppsummering …</translation>
    </message>
    <message>
        <source>My &amp;debrief…</source>
        <translation>Min &amp;oppsummering …</translation>
    </message>
    <message>
        <source>&amp;Restart in training mode</source>
        <translation>&amp;Start på nytt i treningsmodus</translation>
    </message>
    <message>
        <source>Only on a training server (dho-console --training).</source>
        <translation>Bare på en treningsserver (dho-console --training).</translation>
    </message>
    <message>
        <source>Training</source>
        <translation>Trening</translation>
    </message>
    <message>
        <source>Debrief</source>
        <translation>Oppsummering</translation>
    </message>
</context>
<context>
    <name>TrainingMark</name>
    <message>
        <source>%1 — training server with synthetic patients: nothing here is real, and nothing here reaches a real patient.</source>
        <extracomment>How often the top-level windows are looked over (ms): a dialog is marked before a person can read its title.</extracomment>
        <translation>%1 — treningsserver med syntetiske pasienter: ingenting her er ekte, og ingenting her når en ekte pasient.</translation>
    </message>
</context>
<context>
    <name>TrainingService</name>
    <message>
        <source>This server is not a training server: scenarios can only be loaded on a training backend (dho-console --training).</source>
        <extracomment>Seconds between status polls while a session is loaded. A scenario file was refused: (text, line or 0, field or &quot;&quot;). Anything else that went wrong, as a sentence for the trainer. The server is not a training backend: nothing may be loaded. The text of the last scenario file loaded (exported as it was).</extracomment>
        <translation>Denne serveren er ikke en treningsserver: scenarioer kan bare lastes på en treningsserver (dho-console --training).</translation>
    </message>
</context>
<context>
    <name>TrendPlot</name>
    <message>
        <source>Plus and minus zoom, arrow keys move in time, Home resets the view, Ctrl+arrow keys step from measurement to measurement.</source>
        <extracomment>Show point symbols only when at most this many points are visible. The zone times are shown in (the owner sets it: a response centre&apos;s, not the computer&apos;s).</extracomment>
        <translation>Pluss og minus zoomer, piltastene flytter i tid, Home tilbakestiller visningen, Ctrl+piltast går fra måling til måling.</translation>
    </message>
</context>
<context>
    <name>VideoCallDialog</name>
    <message>
        <source>Video call</source>
        <translation>Videosamtale</translation>
    </message>
    <message>
        <source>Video call with %1</source>
        <translation>Videosamtale med %1</translation>
    </message>
    <message>
        <source>Video call with the patient</source>
        <translation>Videosamtale med pasienten</translation>
    </message>
    <message>
        <source>No relative</source>
        <translation>Ingen pårørende</translation>
    </message>
    <message>
        <source>Also invite a relative</source>
        <translation>Inviter også en pårørende</translation>
    </message>
    <message>
        <source>Also &amp;invite:</source>
        <translation>&amp;Inviter også:</translation>
    </message>
    <message>
        <source>Meeting link</source>
        <translation>Møtelenke</translation>
    </message>
    <message>
        <source>Made when the call starts</source>
        <translation>Lages når samtalen starter</translation>
    </message>
    <message>
        <source>Meeting &amp;link:</source>
        <translation>Møte&amp;lenke:</translation>
    </message>
    <message>
        <source>Call status</source>
        <translation>Samtalestatus</translation>
    </message>
    <message>
        <source>Status:</source>
        <translation>Status:</translation>
    </message>
    <message>
        <source>Outcome of the call</source>
        <translation>Utfall av samtalen</translation>
    </message>
    <message>
        <source>What was agreed? Saved with the call when you end it.</source>
        <translation>Hva ble avtalt? Lagres med samtalen når du avslutter.</translation>
    </message>
    <message>
        <source>&amp;Outcome:</source>
        <translation>&amp;Utfall:</translation>
    </message>
    <message>
        <source>Address of the video service</source>
        <translation>Adressen til videotjenesten</translation>
    </message>
    <message>
        <source>for example video.kommune.no</source>
        <translation>for eksempel video.kommune.no</translation>
    </message>
    <message>
        <source>Video &amp;service:</source>
        <translation>Video&amp;tjeneste:</translation>
    </message>
    <message>
        <source>No video service is set up on this computer yet. Enter the one your municipality uses (ask IT if unsure); it is remembered for the next calls.</source>
        <translation>Ingen videotjeneste er satt opp på denne datamaskinen ennå. Skriv inn den kommunen bruker (spør IT hvis du er usikker); den huskes til neste samtaler.</translation>
    </message>
    <message>
        <source>Starting books the call, sends the link to the patient (and the relative) in the message thread and opens it in your browser.</source>
        <translation>Når du starter, blir samtalen booket, lenken sendt til pasienten (og den pårørende) i meldingstråden og åpnet i nettleseren din.</translation>
    </message>
    <message>
        <source>&amp;Start video call</source>
        <translation>&amp;Start videosamtale</translation>
    </message>
    <message>
        <source>Start the video call</source>
        <translation>Start videosamtalen</translation>
    </message>
    <message>
        <source>&amp;Open link again</source>
        <translation>Å&amp;pne lenken igjen</translation>
    </message>
    <message>
        <source>Open the meeting link again</source>
        <translation>Åpne møtelenken igjen</translation>
    </message>
    <message>
        <source>&amp;Copy link</source>
        <translation>&amp;Kopier lenke</translation>
    </message>
    <message>
        <source>Copy the meeting link</source>
        <translation>Kopier møtelenken</translation>
    </message>
    <message>
        <source>&amp;End call</source>
        <translation>&amp;Avslutt samtalen</translation>
    </message>
    <message>
        <source>End the call and save the outcome</source>
        <translation>Avslutt samtalen og lagre utfallet</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Lukk</translation>
    </message>
    <message>
        <source>Close the window</source>
        <translation>Lukk vinduet</translation>
    </message>
    <message>
        <source>Problem</source>
        <translation>Problem</translation>
    </message>
    <message>
        <source>In progress – %1</source>
        <translation>Pågår – %1</translation>
    </message>
    <message>
        <source>Ended – lasted %1</source>
        <translation>Avsluttet – varte %1</translation>
    </message>
    <message>
        <source>That is not a host name. Enter only the name, e.g. video.kommune.no.</source>
        <translation>Det er ikke et vertsnavn. Skriv bare navnet, f.eks. video.kommune.no.</translation>
    </message>
    <message>
        <source>Starting…</source>
        <translation>Starter …</translation>
    </message>
    <message>
        <source>Could not complete: %1</source>
        <translation>Kunne ikke fullføre: %1</translation>
    </message>
    <message>
        <source>Not started</source>
        <translation>Ikke startet</translation>
    </message>
</context>
<context>
    <name>Workbench</name>
    <message>
        <source>Escalation inbox</source>
        <extracomment>Longest wait for each step of `stop` (seconds). The server&apos;s clock (console.domain.clock): every model, service and view reads it. Who raises alerts: &quot;server&quot; (its rules) or &quot;console&quot; (`ConsoleAlertRaiser`). Patient views take their plots ready-built from here (filled after `load`). Messages to patients in the patient&apos;s language, from the department&apos;s templates.</extracomment>
        <translation>Innboks for eskaleringer</translation>
    </message>
    <message>
        <source>An alert could not be written to the server: %1</source>
        <translation>Et varsel kunne ikke lagres på serveren: %1</translation>
    </message>
    <message>
        <source>Shift handover</source>
        <translation>Vaktoverlevering</translation>
    </message>
    <message>
        <source>&amp;Review…</source>
        <translation>&amp;Oversikt …</translation>
    </message>
    <message>
        <source>Escalation &amp;inbox…</source>
        <translation>&amp;Innboks for eskaleringer …</translation>
    </message>
    <message>
        <source>&amp;Access log…</source>
        <translation>&amp;Tilgangslogg …</translation>
    </message>
    <message>
        <source>Review</source>
        <translation>Oversikt</translation>
    </message>
    <message>
        <source>Inbox</source>
        <translation>Innboks</translation>
    </message>
    <message>
        <source>Access log</source>
        <translation>Tilgangslogg</translation>
    </message>
    <message>
        <source>Inbox: %1 (Ctrl+Shift+I)</source>
        <translation>Innboks: %1 (Ctrl+Shift+I)</translation>
    </message>
    <message>
        <source>Alerts: %1 high · %2 medium · %3 low</source>
        <translation>Varsler: %1 høy · %2 middels · %3 lav</translation>
    </message>
</context>
</TS>
