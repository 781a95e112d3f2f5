<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="nn_NO">
<context>
    <name>AccessLog</name>
    <message>
        <source>Opened</source>
        <translation>Opna</translation>
    </message>
    <message>
        <source>Opened an earlier version</source>
        <translation>Opna ein tidlegare versjon</translation>
    </message>
    <message>
        <source>Looked at the history</source>
        <translation>Såg på historikken</translation>
    </message>
    <message>
        <source>Listed in a search</source>
        <translation>Vist i eit søk</translation>
    </message>
    <message>
        <source>Created</source>
        <translation>Oppretta</translation>
    </message>
    <message>
        <source>Changed</source>
        <translation>Endra</translation>
    </message>
    <message>
        <source>Deleted</source>
        <translation>Sletta</translation>
    </message>
    <message>
        <source>Counted in a report</source>
        <translation>Talt med i ein rapport</translation>
    </message>
    <message>
        <source>Read</source>
        <translation>Lese</translation>
    </message>
    <message>
        <source>nurse</source>
        <translation>sjukepleiar</translation>
    </message>
    <message>
        <source>department lead</source>
        <translation>avdelingsleiar</translation>
    </message>
    <message>
        <source>superuser</source>
        <translation>superbrukar</translation>
    </message>
    <message>
        <source>administrator</source>
        <translation>administrator</translation>
    </message>
    <message>
        <source>personal details</source>
        <translation>personopplysningar</translation>
    </message>
    <message>
        <source>measurements</source>
        <translation>målingar</translation>
    </message>
    <message>
        <source>alerts</source>
        <translation>varsel</translation>
    </message>
    <message>
        <source>messages</source>
        <translation>meldingar</translation>
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
        <translation>svar på spørjeskjema</translation>
    </message>
    <message>
        <source>relatives</source>
        <translation>pårørande</translation>
    </message>
    <message>
        <source>assessments</source>
        <translation>vurderingar</translation>
    </message>
    <message>
        <source>journal notes</source>
        <translation>journalnotat</translation>
    </message>
    <message>
        <source>video appointments</source>
        <translation>videoavtalar</translation>
    </message>
    <message>
        <source>video consultations</source>
        <translation>videokonsultasjonar</translation>
    </message>
    <message>
        <source>care team</source>
        <translation>behandlingsteam</translation>
    </message>
    <message>
        <source>%1 resources in all</source>
        <translation>%1 ressursar i alt</translation>
    </message>
    <message>
        <source>the patient&apos;s record</source>
        <translation>journalen til pasienten</translation>
    </message>
    <message>
        <source>Refused</source>
        <translation>Avvist</translation>
    </message>
    <message>
        <source>Allowed</source>
        <translation>Tillate</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>Tidspunkt</translation>
    </message>
    <message>
        <source>User</source>
        <translation>Brukar</translation>
    </message>
    <message>
        <source>Role</source>
        <translation>Rolle</translation>
    </message>
    <message>
        <source>Organization</source>
        <translation>Verksemd</translation>
    </message>
    <message>
        <source>What was done</source>
        <translation>Kva vart gjort</translation>
    </message>
    <message>
        <source>Patient</source>
        <translation>Pasient</translation>
    </message>
    <message>
        <source>Information</source>
        <translation>Opplysningar</translation>
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
        <translation>Frå tilgangsloggen (AuditEvent) som tenaren skriv ved kvar lesing og endring av pasientopplysningar. Tidspunkta er norsk tid.</translation>
    </message>
</context>
<context>
    <name>AccessLogService</name>
    <message>
        <source>The server only shows the access log to department leads and administrators.</source>
        <extracomment>Who may read other users&apos; accesses (the server enforces the same). Entries kept per search (an export of a patient&apos;s year fits easily).</extracomment>
        <translation>Tenaren viser berre tilgangsloggen til avdelingsleiarar og administratorar.</translation>
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
        <translation>Tilgangsloggen er for avdelingsleiarar og administratorar. Du er logga inn som %1.</translation>
    </message>
    <message>
        <source>Not available</source>
        <translation>Ikkje tilgjengeleg</translation>
    </message>
    <message>
        <source>&amp;Patient (name or national ID):</source>
        <translation>&amp;Pasient (namn eller fødselsnummer):</translation>
    </message>
    <message>
        <source>Find a patient by name or national ID</source>
        <translation>Finn ein pasient på namn eller fødselsnummer</translation>
    </message>
    <message>
        <source>Find</source>
        <translation>Finn</translation>
    </message>
    <message>
        <source>Find patients</source>
        <translation>Finn pasientar</translation>
    </message>
    <message>
        <source>Patient to show the log for</source>
        <translation>Pasienten loggen skal visast for</translation>
    </message>
    <message>
        <source>Any patient</source>
        <translation>Alle pasientar</translation>
    </message>
    <message>
        <source>&amp;User (name):</source>
        <translation>&amp;Brukar (namn):</translation>
    </message>
    <message>
        <source>Find a user by name</source>
        <translation>Finn ein brukar på namn</translation>
    </message>
    <message>
        <source>Find users</source>
        <translation>Finn brukarar</translation>
    </message>
    <message>
        <source>User to show the log for</source>
        <translation>Brukaren loggen skal visast for</translation>
    </message>
    <message>
        <source>Any user</source>
        <translation>Alle brukarar</translation>
    </message>
    <message>
        <source>&amp;From:</source>
        <translation>&amp;Frå:</translation>
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
        <translation>Vel ein pasient eller ein brukar (eller ingen av dei) og ein periode, og søk.</translation>
    </message>
    <message>
        <source>Search status</source>
        <translation>Søkjestatus</translation>
    </message>
    <message>
        <source>Access log entries</source>
        <translation>Oppføringar i tilgangsloggen</translation>
    </message>
    <message numerus="yes">
        <source>%n patient(s) found.</source>
        <translation>
            <numerusform>%n pasient funnen.</numerusform>
            <numerusform>%n pasientar funne.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n user(s) found.</source>
        <translation>
            <numerusform>%n brukar funnen.</numerusform>
            <numerusform>%n brukarar funne.</numerusform>
        </translation>
    </message>
    <message>
        <source>Searching…</source>
        <translation>Søkjer …</translation>
    </message>
    <message>
        <source>Access log for %1</source>
        <translation>Tilgangslogg for %1</translation>
    </message>
    <message>
        <source>Accesses by %1</source>
        <translation>Oppslag gjorde av %1</translation>
    </message>
    <message numerus="yes">
        <source>%n access(es) found so far…</source>
        <translation>
            <numerusform>%n oppslag funne så langt …</numerusform>
            <numerusform>%n oppslag funne så langt …</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Stopped: %n access(es) shown (not all).</source>
        <translation>
            <numerusform>Stoppa: %n oppslag vist (ikkje alle).</numerusform>
            <numerusform>Stoppa: %n oppslag vist (ikkje alle).</numerusform>
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
            <numerusform>%n oppslag er vist (ikkje alle); gjer perioden kortare for å sjå alle.</numerusform>
            <numerusform>Dei første %n oppslaga er viste; gjer perioden kortare for å sjå alle.</numerusform>
        </translation>
    </message>
    <message>
        <source>Period</source>
        <translation>Periode</translation>
    </message>
    <message>
        <source>Made</source>
        <translation>Laga</translation>
    </message>
    <message>
        <source>Made by</source>
        <translation>Laga av</translation>
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
        <translation>Høg</translation>
    </message>
    <message>
        <source>Medium</source>
        <translation>Middels</translation>
    </message>
    <message>
        <source>Low</source>
        <translation>Låg</translation>
    </message>
    <message>
        <source>Raised</source>
        <translation>Utløyst</translation>
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
        <translation>Varsel</translation>
    </message>
    <message>
        <source>Alert counts</source>
        <translation>Tal på varsel</translation>
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
        <translation>Demp varsellyden i 5 minutt</translation>
    </message>
    <message>
        <source>Ctrl+M. Muting does not claim anything.</source>
        <translation>Ctrl+M. Å dempe lyden tek ikkje varselet.</translation>
    </message>
    <message>
        <source>Since we closed</source>
        <translation>Sidan vi stengde</translation>
    </message>
    <message>
        <source>Alerts that came while the centre was closed</source>
        <translation>Varsel som kom medan responssenteret var stengt</translation>
    </message>
    <message>
        <source>Re&amp;viewed</source>
        <translation>&amp;Gått gjennom</translation>
    </message>
    <message>
        <source>Mark the since-we-closed list as reviewed</source>
        <translation>Merk lista «Sidan vi stengde» som gjennomgått</translation>
    </message>
    <message>
        <source>Hide this list until the centre has closed again. The alerts stay in the queue.</source>
        <translation>Gøym lista til senteret har stengt igjen. Varsla blir i køen.</translation>
    </message>
    <message>
        <source>Alerts, one card per patient</source>
        <translation>Varsel, eitt kort per pasient</translation>
    </message>
    <message>
        <source>Adherence</source>
        <translation>Etterleving</translation>
    </message>
    <message>
        <source>Missing measurements, oldest first</source>
        <translation>Manglande målingar, eldste først</translation>
    </message>
    <message>
        <source>Adherence list</source>
        <translation>Etterlevingsliste</translation>
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
        <translation>Kopier journalnotatet til utklippstavla</translation>
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
        <translation>Fr&amp;igje</translation>
    </message>
    <message>
        <source>Release the claim (U)</source>
        <translation>Frigje varselet (U)</translation>
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
        <translation>&amp;Utset…</translation>
    </message>
    <message>
        <source>Snooze (S)</source>
        <translation>Utset (S)</translation>
    </message>
    <message>
        <source>&amp;Forward…</source>
        <translation>&amp;Vidaresend…</translation>
    </message>
    <message>
        <source>Forward (F)</source>
        <translation>Vidaresend (F)</translation>
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
        <translation>O&amp;pne pasient</translation>
    </message>
    <message>
        <source>Open the patient (Enter)</source>
        <translation>Opne pasienten (Enter)</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>&amp;Hjelp</translation>
    </message>
    <message>
        <source>Keyboard shortcuts (F1)</source>
        <translation>Snøggtastar (F1)</translation>
    </message>
    <message>
        <source>Resolved: %1. The draft journal note is ready to copy.</source>
        <translation>Avslutta: %1. Utkastet til journalnotat er klart til å kopierast.</translation>
    </message>
    <message>
        <source>Journal note copied to the clipboard.</source>
        <translation>Journalnotatet er kopiert til utklippstavla.</translation>
    </message>
    <message>
        <source>The patient has been asked for a new measurement.</source>
        <translation>Pasienten er beden om ei ny måling.</translation>
    </message>
    <message>
        <source>Adherence – missing measurements: %1</source>
        <translation>Etterleving – manglande målingar: %1</translation>
    </message>
    <message>
        <source>Adherence: nothing missing</source>
        <translation>Etterleving: ingen manglande målingar</translation>
    </message>
    <message>
        <source>Since we closed (%1) – alerts: %2, adherence: %3</source>
        <translation>Sidan vi stengde (%1) – varsel: %2, etterleving: %3</translation>
    </message>
    <message>
        <source>No alert sound on this computer.</source>
        <translation>Ingen varsellyd på denne datamaskina.</translation>
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
        <translation>Lyd dempa i %1</translation>
    </message>
    <message>
        <source>Un&amp;mute</source>
        <translation>Slå på &amp;lyd</translation>
    </message>
    <message>
        <source>%1 high · %2 medium · %3 low</source>
        <translation>%1 høg · %2 middels · %3 låg</translation>
    </message>
</context>
<context>
    <name>AlertService</name>
    <message>
        <source>The server did not accept the change: %1</source>
        <extracomment>Task builder: given the newest Task, the updated Task, or None if the action no longer applies. Set when the Task was closed but the record resources could not be written yet. patient id, what happened instead (&quot;Claimed by Kari Nordmann at 10:42&quot;). action name (&quot;claim&quot;, &quot;unclaim&quot;, &quot;comment&quot;, &quot;snooze&quot;, &quot;forward&quot;, &quot;remeasure&quot;), patient id Messages to patients in their language (the department&apos;s templates or defaults). (practitioner id, name) of the department lead escalations go to. The department a patient is enrolled in (the centre&apos;s EpisodeOfCare), for Tasks that do not say where they are routed; the workbench sets it. The server escalates (announced): no escalation from this console. Service hours of the watched centre (default Monday-Friday 08:00-15:30). Escalation messages to the lead not yet accepted by the server: alert id → (alert, minutes, when to try again, attempts). Retried on the clock until sent. (patient id, versions of the card&apos;s alerts) -&gt; whether its value looks like an error.</extracomment>
        <translation>Tenaren godtok ikkje endringa: %1</translation>
    </message>
    <message>
        <source>Something went wrong: %1</source>
        <translation>Noko gjekk gale: %1</translation>
    </message>
    <message>
        <source>The alert is closed, but the journal note could not be saved yet: %1</source>
        <translation>Varselet er avslutta, men journalnotatet kunne ikkje lagrast enno: %1</translation>
    </message>
    <message>
        <source>Not signed in as a person: alerts can be seen, not claimed</source>
        <translation>Ikkje innlogga som person: varsel kan sjåast, ikkje takast</translation>
    </message>
    <message>
        <source>You are signed in with a token that is not a person&apos;s: you can see alerts, but not claim, comment or resolve them.</source>
        <translation>Du er logga inn med eit token som ikkje høyrer til ein person: du ser varsla, men kan ikkje ta, kommentere eller lukke dei.</translation>
    </message>
    <message>
        <source>This alert is no longer in the queue.</source>
        <translation>Dette varselet er ikkje lenger i køen.</translation>
    </message>
    <message>
        <source>The alert keeps changing; try again.</source>
        <extracomment>Task id → the unacknowledged escalation messages about it.</extracomment>
        <translation>Varselet vert stadig endra; prøv igjen.</translation>
    </message>
    <message>
        <source>Someone else changed this alert; the queue shows the latest.</source>
        <translation>Nokon andre endra varselet; køen viser siste versjon.</translation>
    </message>
    <message>
        <source>Already resolved by %1 at %2</source>
        <translation>Allereie avslutta av %1 kl. %2</translation>
    </message>
    <message>
        <source>The alert was cancelled.</source>
        <translation>Varselet vart kansellert.</translation>
    </message>
    <message>
        <source>The escalation to the department lead could not be sent yet; it is kept and sent again: %1</source>
        <translation>Eskaleringa til avdelingsleiaren kunne ikkje sendast enno; ho er teken vare på og blir send på nytt: %1</translation>
    </message>
</context>
<context>
    <name>AlertText</name>
    <message>
        <source>High priority</source>
        <translation>Høg prioritet</translation>
    </message>
    <message>
        <source>Medium priority</source>
        <translation>Middels prioritet</translation>
    </message>
    <message>
        <source>Low priority</source>
        <translation>Låg prioritet</translation>
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
        <translation>Vektauke</translation>
    </message>
    <message>
        <source>Weight loss</source>
        <translation>Vekttap</translation>
    </message>
    <message>
        <source>Missing measurement</source>
        <translation>Manglande måling</translation>
    </message>
    <message>
        <source>Questionnaire answer</source>
        <translation>Svar i spørjeskjema</translation>
    </message>
    <message>
        <source>Patient asks to be contacted</source>
        <translation>Pasienten ber om kontakt</translation>
    </message>
    <message>
        <source>Other alert</source>
        <translation>Anna varsel</translation>
    </message>
    <message>
        <source>Contacted the patient</source>
        <translation>Kontakta pasienten</translation>
    </message>
    <message>
        <source>Advised the GP</source>
        <translation>Varsla fastlegen</translation>
    </message>
    <message>
        <source>Referred to the out-of-hours clinic (legevakt)</source>
        <translation>Tilvist til legevakt</translation>
    </message>
    <message>
        <source>Called 113</source>
        <translation>Ringde 113</translation>
    </message>
    <message>
        <source>Measurement error</source>
        <translation>Målefeil</translation>
    </message>
    <message>
        <source>No action needed</source>
        <translation>Ingen tiltak naudsynt</translation>
    </message>
    <message>
        <source>red</source>
        <translation>raud</translation>
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
        <translation>Vektauke på %1 døgn</translation>
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
        <translation>Ei måling</translation>
    </message>
    <message>
        <source>%1 missing since %2</source>
        <translation>%1 manglar sidan %2</translation>
    </message>
    <message>
        <source>Answer %1: “%2” – %3</source>
        <translation>Svar %1: «%2» – %3</translation>
    </message>
    <message>
        <source>Asks to be contacted: “%1”</source>
        <translation>Ber om å bli kontakta: «%1»</translation>
    </message>
    <message>
        <source>(%1 earlier)</source>
        <translation>(%1 tidlegare)</translation>
    </message>
    <message>
        <source>high</source>
        <translation>høg</translation>
    </message>
    <message>
        <source>medium</source>
        <translation>middels</translation>
    </message>
    <message>
        <source>low</source>
        <translation>låg</translation>
    </message>
    <message>
        <source>Claimed by %1</source>
        <translation>Teken av %1</translation>
    </message>
    <message>
        <source>Claimed by %1 at %2</source>
        <translation>Teken av %1 kl. %2</translation>
    </message>
    <message>
        <source>Snoozed</source>
        <translation>Utsett</translation>
    </message>
    <message>
        <source>Snoozed until %1</source>
        <translation>Utsett til %1</translation>
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
        <translation>⚠ Mogleg målefeil: den nye målinga var normal</translation>
    </message>
    <message>
        <source>Confirmed by a new measurement</source>
        <translation>Stadfesta ved ny måling</translation>
    </message>
    <message>
        <source>⚠ Possible measurement error: a new measurement is requested</source>
        <translation>⚠ Mogleg målefeil: pasienten er beden om ny måling</translation>
    </message>
    <message>
        <source>⚠ Possible measurement error</source>
        <translation>⚠ Mogleg målefeil</translation>
    </message>
    <message>
        <source>☾ Came while closed (%1)</source>
        <translation>☾ Kom medan stengt (%1)</translation>
    </message>
    <message>
        <source> · patient advised (legevakt)</source>
        <translation> · fekk råd (legevakt)</translation>
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
        <translation> (pasienten fekk råd)</translation>
    </message>
</context>
<context>
    <name>CallListModel</name>
    <message>
        <source>Started</source>
        <translation>Starta</translation>
    </message>
    <message>
        <source>Duration</source>
        <translation>Varigheit</translation>
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
        <translation>%1 (alle avdelingar)</translation>
    </message>
    <message>
        <source>All departments</source>
        <translation>Alle avdelingar</translation>
    </message>
    <message numerus="yes">
        <source>%n record(s) from the server could not be read and were skipped</source>
        <extracomment>The measurements of one live batch, after the list has them (open patient views). What each patient&apos;s active ServiceRequests say about limits, by ServiceRequest id (live plan edits replace one of them); entries, not the resources (memory). Patients asked for once already (enrolled while the console runs, or not ours). Newest meta.lastUpdated seen in the first load: the live feed catches up from there.</extracomment>
        <translation>
            <numerusform>%n oppføring frå tenaren kunne ikkje lesast og vart hoppa over</numerusform>
            <numerusform>%n oppføringar frå tenaren kunne ikkje lesast og vart hoppa over</numerusform>
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
        <translation>Kva gjorde eller fann du? (Ctrl+Enter lagrar)</translation>
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
        <translation>sjukepleiar</translation>
    </message>
    <message>
        <source>department lead</source>
        <translation>avdelingsleiar</translation>
    </message>
    <message>
        <source>superuser</source>
        <translation>superbrukar</translation>
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
        <translation>Startar den innebygde treningstenaren …</translation>
    </message>
    <message>
        <source>Not a training server</source>
        <translation>Ikkje ein treningstenar</translation>
    </message>
    <message>
        <source>Unknown user</source>
        <translation>Ukjend brukar</translation>
    </message>
    <message>
        <source>The alert sound is switched off in the settings (sound/enabled): alerts are shown but not heard.</source>
        <translation>Varsellyden er slått av i innstillingane (sound/enabled): varsel blir viste, men ikkje høyrde.</translation>
    </message>
    <message>
        <source>Sound off</source>
        <translation>Lyd av</translation>
    </message>
    <message>
        <source>No sound output found: alerts are shown but will not be heard.</source>
        <translation>Fann inga lydutgang: varsel blir viste, men høyrest ikkje.</translation>
    </message>
    <message>
        <source>No sound output</source>
        <translation>Ingen lydutgang</translation>
    </message>
    <message>
        <source>%1 is not a training server (its profile is “%2”): the console does not start training mode on it.</source>
        <translation>%1 er ikkje ein treningstenar (profilen er «%2»): konsollet startar ikkje treningsmodus mot han.</translation>
    </message>
    <message>
        <source>Signed in</source>
        <translation>Innlogga</translation>
    </message>
    <message>
        <source>You can close this tab and go back to the DHO console.</source>
        <translation>Du kan lukke denne fana og gå tilbake til DHO-konsollet.</translation>
    </message>
    <message>
        <source>Sign-in did not succeed. Try again.</source>
        <translation>Innlogginga lukkast ikkje. Prøv igjen.</translation>
    </message>
    <message>
        <source>TRAINING USER</source>
        <translation>TRENINGSBRUKAR</translation>
    </message>
    <message>
        <source>No secure key store</source>
        <translation>Inga sikker nøkkellagring</translation>
    </message>
    <message>
        <source>No secure key store on this computer: you must sign in again at every start.</source>
        <translation>Ingen sikker nøkkelring på denne maskina: du må logge inn på nytt ved kvar oppstart.</translation>
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
        <translation>Gruppa</translation>
    </message>
    <message>
        <source>Trainee</source>
        <translation>Deltakar</translation>
    </message>
    <message>
        <source>Scenario</source>
        <translation>Scenario</translation>
    </message>
    <message>
        <source>To claim</source>
        <translation>Til teke</translation>
    </message>
    <message>
        <source>To open</source>
        <translation>Til opna</translation>
    </message>
    <message>
        <source>To resolve</source>
        <translation>Til avslutta</translation>
    </message>
    <message>
        <source>Outcome chosen</source>
        <translation>Valt utfall</translation>
    </message>
    <message>
        <source>Expected</source>
        <translation>Venta</translation>
    </message>
    <message>
        <source>Alerts missed</source>
        <translation>Varsel oversett</translation>
    </message>
    <message>
        <source>Messages</source>
        <translation>Meldingar</translation>
    </message>
    <message>
        <source>Escalations</source>
        <translation>Eskaleringar</translation>
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
        <translation>Poeng per deltakar og scenario</translation>
    </message>
    <message>
        <source>Notes on the chosen row</source>
        <translation>Merknader til vald rad</translation>
    </message>
    <message>
        <source>&amp;Refresh</source>
        <translation>&amp;Oppdater</translation>
    </message>
    <message>
        <source>Refresh the debrief</source>
        <translation>Oppdater oppsummeringa</translation>
    </message>
    <message>
        <source>&amp;PDF…</source>
        <translation>&amp;PDF …</translation>
    </message>
    <message>
        <source>Save the debrief as a PDF</source>
        <translation>Lagre oppsummeringa som PDF</translation>
    </message>
    <message>
        <source>No scores yet: the debrief is ready once trainees have worked.</source>
        <translation>Ingen poeng enno: oppsummeringa er klar når deltakarane har arbeidd.</translation>
    </message>
    <message>
        <source>✓ right</source>
        <translation>✓ rett</translation>
    </message>
    <message>
        <source>✗ wrong</source>
        <translation>✗ feil</translation>
    </message>
    <message>
        <source>none (✗ not resolved)</source>
        <translation>inkje (✗ ikkje avslutta)</translation>
    </message>
    <message>
        <source>Expected response: %1</source>
        <translation>Venta respons: %1</translation>
    </message>
    <message>
        <source>PDF documents (*.pdf)</source>
        <translation>PDF-dokument (*.pdf)</translation>
    </message>
    <message>
        <source>debrief-%1.pdf</source>
        <translation>oppsummering-%1.pdf</translation>
    </message>
    <message>
        <source>Debrief of the training session</source>
        <translation>Oppsummering av treningsøkta</translation>
    </message>
    <message>
        <source>Group: %1 trainees · mean score %2 of 100 · outcomes correct %3 of %4 · alerts missed %5 · median time to claim %6</source>
        <translation>Gruppa: %1 deltakarar · snittpoeng %2 av 100 · rette utfall %3 av %4 · varsel oversett %5 · mediantid til teke %6</translation>
    </message>
    <message>
        <source>Made %1 by %2 · DHO training</source>
        <translation>Laga %1 av %2 · DHO trening</translation>
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
        <source>Wound care</source>
        <translation>Sårbehandling</translation>
    </message>
    <message>
        <source>Dementia, with relatives</source>
        <translation>Demens, med pårørande</translation>
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
        <translation>Vidaresend – %1</translation>
    </message>
    <message>
        <source>Forward the alert</source>
        <translation>Vidaresend varselet</translation>
    </message>
    <message>
        <source>Forward to</source>
        <translation>Vidaresend til</translation>
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
        <translation>Vidaresend &amp;til:</translation>
    </message>
    <message>
        <source>&amp;Message:</source>
        <translation>&amp;Melding:</translation>
    </message>
    <message>
        <source>&amp;Forward</source>
        <translation>&amp;Vidaresend</translation>
    </message>
</context>
<context>
    <name>HandoverView</name>
    <message>
        <source>Open and claimed alerts (%1)</source>
        <extracomment>Body text of the printed and exported handover (points): readable on paper.</extracomment>
        <translation>Opne og tekne varsel (%1)</translation>
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
        <translation>Varsel</translation>
    </message>
    <message>
        <source>State</source>
        <translation>Tilstand</translation>
    </message>
    <message>
        <source>Waiting</source>
        <translation>Venta</translation>
    </message>
    <message>
        <source>No open alerts.</source>
        <translation>Ingen opne varsel.</translation>
    </message>
    <message>
        <source>Alerts resolved this shift (%1)</source>
        <translation>Varsel avslutta denne vakta (%1)</translation>
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
        <translation>Avslutta av</translation>
    </message>
    <message>
        <source>At</source>
        <translation>Kl.</translation>
    </message>
    <message>
        <source>No alerts resolved this shift.</source>
        <translation>Ingen varsel avslutta denne vakta.</translation>
    </message>
    <message>
        <source>Adherence list: missing measurements (%1)</source>
        <translation>Etterlevingsliste: manglande målingar (%1)</translation>
    </message>
    <message>
        <source>Missing</source>
        <translation>Manglar</translation>
    </message>
    <message>
        <source>No missing measurements.</source>
        <translation>Ingen manglande målingar.</translation>
    </message>
    <message>
        <source>The patient got the plan&apos;s advice.</source>
        <translation>Pasienten fekk rådet i planen.</translation>
    </message>
    <message>
        <source>Since we closed (%1): %2</source>
        <translation>Sidan vi stengde (%1): %2</translation>
    </message>
    <message>
        <source>Came</source>
        <translation>Kom</translation>
    </message>
    <message>
        <source>Nothing came while the centre was closed.</source>
        <translation>Ingenting kom medan senteret var stengt.</translation>
    </message>
    <message>
        <source>Claimed by %1</source>
        <translation>Teken av %1</translation>
    </message>
    <message>
        <source>New</source>
        <translation>Ny</translation>
    </message>
    <message>
        <source>Still open</source>
        <translation>Framleis ope</translation>
    </message>
    <message>
        <source>Closed</source>
        <translation>Avslutta</translation>
    </message>
    <message>
        <source>Patients with new deviations this shift (%1)</source>
        <translation>Pasientar med nye avvik denne vakta (%1)</translation>
    </message>
    <message>
        <source>Worst priority</source>
        <translation>Høgaste prioritet</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>No new deviations this shift.</source>
        <translation>Ingen nye avvik denne vakta.</translation>
    </message>
    <message>
        <source>Handed over by %1</source>
        <translation>Overlevert av %1</translation>
    </message>
    <message>
        <source>Shift from %1 to %2</source>
        <translation>Vakt frå %1 til %2</translation>
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
        <translation>Vakta &amp;starta kl.:</translation>
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
        <translation>Oppdater overleveringa</translation>
    </message>
    <message>
        <source>&amp;Export PDF…</source>
        <translation>&amp;Eksporter PDF…</translation>
    </message>
    <message>
        <source>Export the handover as PDF</source>
        <translation>Eksporter overleveringa som PDF</translation>
    </message>
    <message>
        <source>&amp;Print…</source>
        <translation>Skriv &amp;ut…</translation>
    </message>
    <message>
        <source>Print the handover</source>
        <translation>Skriv ut overleveringa</translation>
    </message>
    <message>
        <source>Handover summary</source>
        <translation>Samandrag for overlevering</translation>
    </message>
    <message>
        <source>Export handover</source>
        <translation>Eksporter overlevering</translation>
    </message>
    <message>
        <source>PDF documents (*.pdf)</source>
        <translation>PDF-dokument (*.pdf)</translation>
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
        <translation>Vidaresendt til deg</translation>
    </message>
    <message>
        <source>Claimed by you</source>
        <translation>Teke av deg</translation>
    </message>
    <message>
        <source>Snoozed</source>
        <translation>Utsett</translation>
    </message>
    <message>
        <source>Nobody has it</source>
        <translation>Ingen har teke det</translation>
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
        <translation>Kvifor i innboksen din</translation>
    </message>
    <message>
        <source>Waiting</source>
        <translation>Ventar</translation>
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
        <translation>Innboks for eskaleringar</translation>
    </message>
    <message>
        <source>Alerts escalated to you (nobody claimed them in time) and alerts colleagues forwarded to you. Claim one to take it, or hand it back to its department.</source>
        <translation>Varsel som er eskalerte til deg (ingen tok dei i tide) og varsel kollegaer har vidaresendt til deg. Ta eit varsel for å overta det, eller lever det tilbake til avdelinga.</translation>
    </message>
    <message>
        <source>Alerts in your inbox</source>
        <translation>Varsel i innboksen din</translation>
    </message>
    <message>
        <source>Nothing is escalated or forwarded to you.</source>
        <translation>Ingenting er eskalert eller vidaresendt til deg.</translation>
    </message>
    <message>
        <source>&amp;Claim</source>
        <translation>&amp;Ta varselet</translation>
    </message>
    <message>
        <source>Claim the selected alert</source>
        <translation>Ta det valde varselet</translation>
    </message>
    <message>
        <source>&amp;Hand back</source>
        <translation>&amp;Lever tilbake</translation>
    </message>
    <message>
        <source>Hand the selected alert back to its department</source>
        <translation>Lever det valde varselet tilbake til avdelinga</translation>
    </message>
    <message>
        <source>&amp;Open patient</source>
        <translation>O&amp;pne pasient</translation>
    </message>
    <message>
        <source>Open the selected patient</source>
        <translation>Opne den valde pasienten</translation>
    </message>
    <message>
        <source>Inbox status</source>
        <translation>Status for innboksen</translation>
    </message>
    <message>
        <source>Escalation inbox (%1)</source>
        <translation>Innboks for eskaleringar (%1)</translation>
    </message>
    <message>
        <source>Claimed: it is yours now.</source>
        <translation>Teke: varselet er ditt no.</translation>
    </message>
    <message>
        <source>Handed back to the department.</source>
        <translation>Levert tilbake til avdelinga.</translation>
    </message>
</context>
<context>
    <name>LockOverlay</name>
    <message>
        <source>Training users</source>
        <extracomment>Input events that may only reach the panels while locked.</extracomment>
        <translation>Treningsbrukarar</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Namn</translation>
    </message>
    <message>
        <source>Role and centre</source>
        <translation>Rolle og senter</translation>
    </message>
    <message>
        <source>User name</source>
        <translation>Brukarnamn</translation>
    </message>
    <message>
        <source>Sign in as the &amp;chosen training user</source>
        <translation>Logg inn som &amp;vald treningsbrukar</translation>
    </message>
    <message>
        <source>Sign in as the chosen training user</source>
        <translation>Logg inn som vald treningsbrukar</translation>
    </message>
    <message>
        <source>Sign-in address</source>
        <translation>Innloggingsadresse</translation>
    </message>
    <message>
        <source>&amp;Copy address</source>
        <translation>&amp;Kopier adressa</translation>
    </message>
    <message>
        <source>Copy the sign-in address</source>
        <translation>Kopier innloggingsadressa</translation>
    </message>
    <message>
        <source>The console is locked</source>
        <translation>Konsollet er låst</translation>
    </message>
    <message>
        <source>Patient data is hidden after a period without activity. Alerts still count and sound. Sign in again to continue.</source>
        <translation>Pasientdata er skjulte etter ein periode utan aktivitet. Varsel blir framleis talde og lyder. Logg inn på nytt for å halde fram.</translation>
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
        <translation>Logg inn med brukarkontoen din for å sjå pasientane i responssenteret ditt. Innloggingssida blir opna i nettlesaren.</translation>
    </message>
    <message>
        <source>&amp;Sign in…</source>
        <translation>&amp;Logg inn …</translation>
    </message>
    <message>
        <source>Sign in in the web browser</source>
        <translation>Logg inn i nettlesaren</translation>
    </message>
    <message>
        <source>This is a training centre with synthetic patients. Choose a training user to sign in as, or sign in in the web browser.</source>
        <translation>Dette er eit treningssenter med syntetiske pasientar. Vel ein treningsbrukar å logge inn som, eller logg inn i nettlesaren.</translation>
    </message>
    <message>
        <source>Training users (synthetic data; every one has the training password):</source>
        <translation>Treningsbrukarar (syntetiske data; alle har treningspassordet):</translation>
    </message>
    <message>
        <source>Sign in in the &amp;web browser…</source>
        <translation>Logg inn i &amp;nettlesaren …</translation>
    </message>
    <message>
        <source>Finish signing in in the web browser window that opened, then come back.</source>
        <translation>Fullfør innlogginga i nettlesarvindauget som opna seg, og kom så tilbake hit.</translation>
    </message>
    <message>
        <source>No browser window came up? Open this address in a web browser on this computer and sign in there; the console continues by itself.</source>
        <translation>Kom det ikkje opp noko nettlesarvindauge? Opne denne adressa i ein nettlesar på denne datamaskina og logg inn der; konsollet held fram av seg sjølv.</translation>
    </message>
    <message>
        <source>No web browser could be opened. Open this address in a web browser on this computer and sign in there; the console continues by itself.</source>
        <translation>Ingen nettlesar kunne opnast. Opne denne adressa i ein nettlesar på denne datamaskina og logg inn der; konsollet held fram av seg sjølv.</translation>
    </message>
    <message>
        <source>Waiting for the sign-in in a web browser…</source>
        <translation>Ventar på innlogginga i ein nettlesar …</translation>
    </message>
    <message>
        <source>Signing in as %1…</source>
        <translation>Loggar inn som %1 …</translation>
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
        <source>Signed in as</source>
        <translation>Innlogga som</translation>
    </message>
    <message>
        <source>&amp;Lock</source>
        <translation>&amp;Lås</translation>
    </message>
    <message>
        <source>Hide patient data now (Ctrl+L)</source>
        <translation>Skjul pasientdata no (Ctrl+L)</translation>
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
        <translation>Pasientliste og opne pasientar</translation>
    </message>
    <message>
        <source>Patient list</source>
        <translation>Pasientliste</translation>
    </message>
    <message>
        <source>&amp;Patients</source>
        <translation>&amp;Pasientar</translation>
    </message>
    <message>
        <source>Connection status</source>
        <translation>Tilkoplingsstatus</translation>
    </message>
    <message>
        <source>Open alerts</source>
        <translation>Opne varsel</translation>
    </message>
    <message>
        <source>Who raises alerts</source>
        <extracomment>Lasting warnings, one label each (key -&gt; label), in the order they arrived.</extracomment>
        <translation>Kven som lagar varsel</translation>
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
        <translation>&amp;Kolonnar</translation>
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
        <translation>Varsel frå: konsollen</translation>
    </message>
    <message>
        <source>The server raises no alerts: this console checks every new value against the patient&apos;s own limits and creates the alert (once, however many consoles run).</source>
        <translation>Serveren lagar ingen varsel: denne konsollen sjekkar kvar ny verdi mot grensene til pasienten og lagar varselet (éin gong, same kor mange konsollar som køyrer).</translation>
    </message>
    <message>
        <source>Alerts by: the server</source>
        <translation>Varsel frå: serveren</translation>
    </message>
    <message>
        <source>The server&apos;s rules raise the alerts.</source>
        <translation>Reglane til serveren lagar varsla.</translation>
    </message>
    <message>
        <source>Not connected</source>
        <translation>Ikkje tilkopla</translation>
    </message>
    <message>
        <source>Not connected to the server: new values, alerts and colleagues&apos; changes are not shown until the connection is back.</source>
        <translation>Ikkje tilkopla tenaren: nye målingar, varsel og endringar frå kollegaer blir ikkje viste før sambandet er tilbake.</translation>
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
        <translation>Ingen målingar i perioden</translation>
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
        <translation>standardgrenser (mal), ikkje pasienten sine eigne</translation>
    </message>
    <message>
        <source>the patient&apos;s own limits</source>
        <translation>pasienten sine eigne grenser</translation>
    </message>
    <message>
        <source>%1: %2 %3 in %4 days</source>
        <translation>%1: %2 %3 på %4 dagar</translation>
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
        <translation>Samhandling mellom tenester – ikkje synleg for pasienten</translation>
    </message>
    <message>
        <source>Messages with the patient and relatives</source>
        <translation>Meldingar med pasient og pårørande</translation>
    </message>
    <message>
        <source>Messages between services</source>
        <translation>Meldingar mellom tenester</translation>
    </message>
    <message>
        <source>To: the patient</source>
        <translation>Til: pasienten</translation>
    </message>
    <message>
        <source>Quick replies</source>
        <translation>Snøggsvar</translation>
    </message>
    <message>
        <source>&amp;Quick reply:</source>
        <translation>&amp;Snøggsvar:</translation>
    </message>
    <message>
        <source>Edit quick replies…</source>
        <translation>Rediger snøggsvar …</translation>
    </message>
    <message>
        <source>Edit the department&apos;s quick replies</source>
        <translation>Rediger snøggsvara til avdelinga</translation>
    </message>
    <message>
        <source>Messages to patients…</source>
        <translation>Meldingar til pasientar …</translation>
    </message>
    <message>
        <source>Edit the department&apos;s messages to patients</source>
        <translation>Rediger meldingane avdelinga sender til pasientar</translation>
    </message>
    <message>
        <source>Write a reply (Ctrl+Enter sends)</source>
        <translation>Skriv eit svar (Ctrl+Enter sender)</translation>
    </message>
    <message>
        <source>Write to the collaborating services (Ctrl+Enter sends)</source>
        <translation>Skriv til tenestene de samarbeider med (Ctrl+Enter sender)</translation>
    </message>
    <message>
        <source>Reply to the patient</source>
        <translation>Svar til pasienten</translation>
    </message>
    <message>
        <source>Message to the services</source>
        <translation>Melding til tenestene</translation>
    </message>
    <message>
        <source>&amp;Send</source>
        <translation>&amp;Send</translation>
    </message>
    <message>
        <source>Send the message</source>
        <translation>Send meldinga</translation>
    </message>
    <message>
        <source>Send &amp;again</source>
        <translation>Send &amp;igjen</translation>
    </message>
    <message>
        <source>Send the selected unsent message again</source>
        <translation>Send den valde usende meldinga igjen</translation>
    </message>
    <message>
        <source>Also to %1</source>
        <translation>Også til %1</translation>
    </message>
    <message>
        <source>Choose a quick reply…</source>
        <translation>Vel eit snøggsvar …</translation>
    </message>
    <message>
        <source>One quick reply per line. They are shared by everyone in the department.</source>
        <translation>Eitt snøggsvar per linje. Dei blir delte av alle i avdelinga.</translation>
    </message>
    <message>
        <source>Quick replies, one per line</source>
        <translation>Snøggsvar, eitt per linje</translation>
    </message>
    <message>
        <source>Messages</source>
        <translation>Meldingar</translation>
    </message>
    <message>
        <source>Start &amp;video call</source>
        <translation>Start &amp;videosamtale</translation>
    </message>
    <message>
        <source>Start a video call with the patient</source>
        <translation>Start ein videosamtale med pasienten</translation>
    </message>
    <message>
        <source>Threads</source>
        <translation>Samtalar</translation>
    </message>
    <message>
        <source>Message status</source>
        <translation>Meldingsstatus</translation>
    </message>
    <message>
        <source>Messages – %1</source>
        <translation>Meldingar – %1</translation>
    </message>
    <message>
        <source>Loading messages…</source>
        <translation>Hentar meldingar …</translation>
    </message>
    <message>
        <source>&amp;Patient and relatives</source>
        <translation>&amp;Pasient og pårørande</translation>
    </message>
    <message>
        <source>&amp;Between services (not visible to the patient)</source>
        <translation>&amp;Mellom tenester (ikkje synleg for pasienten)</translation>
    </message>
    <message>
        <source>(%1 unread)</source>
        <translation>(%1 ulesne)</translation>
    </message>
    <message>
        <source>Something went wrong: %1</source>
        <translation>Noko gjekk gale: %1</translation>
    </message>
    <message>
        <source>The patient has no department to store quick replies for.</source>
        <translation>Pasienten har inga avdeling å lagre snøggsvar for.</translation>
    </message>
    <message>
        <source>Quick replies saved.</source>
        <translation>Snøggsvara er lagra.</translation>
    </message>
</context>
<context>
    <name>MessagingService</name>
    <message>
        <source>Thank you for the measurement, we will call you today.</source>
        <translation>Takk for målinga, vi ringjer deg i løpet av dagen.</translation>
    </message>
    <message>
        <source>Thank you, everything looks fine.</source>
        <translation>Takk, alt ser fint ut.</translation>
    </message>
    <message>
        <source>Please measure again in 15 minutes.</source>
        <translation>Ver så snill og mål igjen om 15 minutt.</translation>
    </message>
    <message>
        <source>We have received your message and will get back to you.</source>
        <translation>Vi har fått meldinga di og tek kontakt.</translation>
    </message>
</context>
<context>
    <name>Outbox</name>
    <message>
        <source>Messages not sent: %1. They are kept only in this window&apos;s memory and will be lost if you close the console.</source>
        <extracomment>Server answers worth trying again: the request may not have been handled at all. 409: a serialization conflict (Medplum answers it to concurrent conditional creates); the create is conditional, so sending it again cannot make a second message. An `OutgoingMessage` changed state (sending → sent / failed, or another attempt). (OutgoingMessage, stored Communication dict) once the server has it. Number of unsent messages (sending or failed) changed.</extracomment>
        <translation>Meldingar som ikkje er sende: %1. Dei finst berre i minnet til dette vindauget og går tapt om du lukkar konsollen.</translation>
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
        <source>Unread</source>
        <translation>Ulesne</translation>
    </message>
    <message>
        <source>Last report</source>
        <translation>Sist rapportert</translation>
    </message>
    <message>
        <source>has open alerts in the queue</source>
        <translation>har opne varsel i køen</translation>
    </message>
    <message>
        <source>standard limits: the plan states no limits of its own</source>
        <translation>standardgrenser: planen har ingen eigne grenser</translation>
    </message>
    <message>
        <source>No measurement</source>
        <translation>Inga måling</translation>
    </message>
    <message>
        <source>the patient&apos;s own limits</source>
        <translation>pasienten sine eigne grenser</translation>
    </message>
    <message>
        <source>standard limits</source>
        <translation>standardgrenser</translation>
    </message>
    <message numerus="yes">
        <source>%n unread message(s)</source>
        <translation>
            <numerusform>%n ulesen melding</numerusform>
            <numerusform>%n ulesne meldingar</numerusform>
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
        <translation>&amp;Meldingar</translation>
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
        <translation>Påminning om manglande måling</translation>
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
        <translation>Meldingar til pasientar</translation>
    </message>
    <message>
        <source>What the console sends patients, in the patient&apos;s own language. The department shares these texts; an empty text uses the built-in one. Placeholders: {first_name}, {measurement}, {due}, {link}, {nurse}, {service}.</source>
        <translation>Det konsollen sender til pasientar, på språket til pasienten. Avdelinga deler desse tekstane; ein tom tekst brukar den innebygde. Plasshaldarar: {first_name} (førenamn), {measurement} (målinga), {due} (planlagd tid), {link} (lenkje), {nurse} (sjukepleiar), {service} (tenesta).</translation>
    </message>
    <message>
        <source>Which message</source>
        <translation>Kva melding</translation>
    </message>
    <message>
        <source>Language the patient reads</source>
        <translation>Språket pasienten les</translation>
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
        <translation>Teksten i meldinga</translation>
    </message>
    <message>
        <source>Preview</source>
        <translation>Førehandsvising</translation>
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
        <translation>Ukjend plasshaldar: %1</translation>
    </message>
    <message>
        <source>The patient reads: %1</source>
        <translation>Pasienten les: %1</translation>
    </message>
    <message>
        <source>Saving…</source>
        <translation>Lagrar …</translation>
    </message>
    <message>
        <source>Saved.</source>
        <translation>Lagra.</translation>
    </message>
    <message>
        <source>Not saved: %1</source>
        <translation>Ikkje lagra: %1</translation>
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
        <translation>medvit</translation>
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
        <translation>Systolisk raud</translation>
    </message>
    <message>
        <source>Yellow</source>
        <translation>Gul</translation>
    </message>
    <message>
        <source>Red</source>
        <translation>Raud</translation>
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
        <translation>&amp;Varsel i perioden</translation>
    </message>
    <message>
        <source>Alerts</source>
        <translation>Varsel</translation>
    </message>
    <message>
        <source>&amp;Questionnaire answers</source>
        <translation>&amp;Svar på spørjeskjema</translation>
    </message>
    <message>
        <source>Questionnaire answers</source>
        <translation>Svar på spørjeskjema</translation>
    </message>
    <message>
        <source>&amp;Video calls</source>
        <translation>&amp;Videosamtalar</translation>
    </message>
    <message>
        <source>Video calls</source>
        <translation>Videosamtalar</translation>
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
        <translation>Vis heile fødselsnummeret (vert logga)</translation>
    </message>
    <message>
        <source>NEWS2 score</source>
        <translation>NEWS2-skår</translation>
    </message>
    <message>
        <source>Could not load: %1</source>
        <translation>Kunne ikkje lasta: %1</translation>
    </message>
    <message>
        <source>Loading…</source>
        <translation>Lastar …</translation>
    </message>
    <message numerus="yes">
        <source>%n measurement(s) loaded</source>
        <translation>
            <numerusform>%n måling lasta</numerusform>
            <numerusform>%n målingar lasta</numerusform>
        </translation>
    </message>
    <message>
        <source>Loading history… %1</source>
        <translation>Lastar historikk … %1</translation>
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
        <translation>Ansvarleg sjukepleiar: %1</translation>
    </message>
    <message>
        <source>GP: %1</source>
        <translation>Fastlege: %1</translation>
    </message>
    <message>
        <source>Relatives: %1</source>
        <translation>Pårørande: %1</translation>
    </message>
    <message>
        <source>none registered</source>
        <translation>ingen registrert</translation>
    </message>
    <message>
        <source>from the server</source>
        <translation>frå tenaren</translation>
    </message>
    <message>
        <source>computed here</source>
        <translation>rekna ut i konsollen</translation>
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
        <translation>Manglar: %1</translation>
    </message>
    <message>
        <source>Your role may view but not change the plan (read-only).</source>
        <translation>Rolla di kan sjå, men ikkje endra planen (skriveverna).</translation>
    </message>
    <message>
        <source>No plan and no measurements for this patient.</source>
        <translation>Ingen plan og ingen målingar for denne pasienten.</translation>
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
        <translation>Manglar</translation>
    </message>
</context>
<context>
    <name>QuestionnaireModel</name>
    <message>
        <source>Answered</source>
        <translation>Svara</translation>
    </message>
    <message>
        <source>Questionnaire</source>
        <translation>Spørjeskjema</translation>
    </message>
    <message>
        <source>Flagged answers</source>
        <translation>Flagga svar</translation>
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
        <translation>Samandrag av varselet</translation>
    </message>
    <message>
        <source>A new measurement was within the limits: this may be a measurement error.</source>
        <translation>Ei ny måling var innanfor grensene: dette kan vere ein målefeil.</translation>
    </message>
    <message>
        <source>The value looks implausible compared with the patient&apos;s recent values. Check with the patient before you call it a measurement error.</source>
        <translation>Verdien verkar lite truleg samanlikna med dei siste verdiane til pasienten. Sjekk med pasienten før du kallar det ein målefeil.</translation>
    </message>
    <message>
        <source>Outcome</source>
        <translation>Utfall</translation>
    </message>
    <message>
        <source>Choose what was done; nothing is chosen for you.</source>
        <translation>Vel kva som vart gjort; ingenting er valt på førehand.</translation>
    </message>
    <message>
        <source>&amp;Comment (goes into the note):</source>
        <translation>&amp;Kommentar (vert teken med i notatet):</translation>
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
        <translation>Kopier journalnotatet til utklippstavla</translation>
    </message>
    <message>
        <source>Ask for a new &amp;measurement</source>
        <translation>Be om ny &amp;måling</translation>
    </message>
    <message>
        <source>Ask the patient for a new measurement</source>
        <translation>Be pasienten om ei ny måling</translation>
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
        <translation>Ny måling etterspurd ✓</translation>
    </message>
    <message>
        <source>Choose an outcome to see the draft note.</source>
        <translation>Vel eit utfall for å sjå utkastet til journalnotat.</translation>
    </message>
</context>
<context>
    <name>ReviewService</name>
    <message>
        <source>The review could not be loaded: %1</source>
        <extracomment>Roles that may open the review; per-nurse figures are for leads and administrators only. Days per request: a week of a 2,000-patient centre is one modest answer. Requests in flight at once (the server works on one while the console decodes another).</extracomment>
        <translation>Oversikta kunne ikkje lastast: %1</translation>
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
        <translation>Veke %1 (%2)</translation>
    </message>
    <message>
        <source>Wk %1</source>
        <translation>Veke %1</translation>
    </message>
    <message>
        <source>Monday</source>
        <translation>Måndag</translation>
    </message>
    <message>
        <source>Tuesday</source>
        <translation>Tysdag</translation>
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
        <translation>Laurdag</translation>
    </message>
    <message>
        <source>Sunday</source>
        <translation>Sundag</translation>
    </message>
    <message>
        <source>Adherence items (missing measurements)</source>
        <translation>Oppfølgingspunkt (manglande målingar)</translation>
    </message>
    <message>
        <source>Alerts</source>
        <translation>Varsel</translation>
    </message>
    <message>
        <source>Claimed</source>
        <translation>Tekne</translation>
    </message>
    <message>
        <source>Median to claim</source>
        <translation>Median til teke</translation>
    </message>
    <message>
        <source>p90 to claim</source>
        <translation>p90 til teke</translation>
    </message>
    <message>
        <source>Resolved</source>
        <translation>Avslutta</translation>
    </message>
    <message>
        <source>Median to resolve</source>
        <translation>Median til avslutta</translation>
    </message>
    <message>
        <source>p90 to resolve</source>
        <translation>p90 til avslutta</translation>
    </message>
    <message>
        <source>Still waiting</source>
        <translation>Ventar framleis</translation>
    </message>
    <message>
        <source>Times are counted in opening hours. Median: the middle value; p90: 9 in 10 alerts were faster.</source>
        <translation>Tidene er rekna i opningstida. Median: den midtarste verdien; p90: 9 av 10 varsel gjekk raskare.</translation>
    </message>
    <message>
        <source>Key figures</source>
        <translation>Nøkkeltal</translation>
    </message>
    <message>
        <source>Figure</source>
        <translation>Tal</translation>
    </message>
    <message>
        <source>Value</source>
        <translation>Verdi</translation>
    </message>
    <message>
        <source>Patients followed at the end of the range</source>
        <translation>Pasientar følgde opp ved slutten av perioden</translation>
    </message>
    <message>
        <source>Enrolled in the range</source>
        <translation>Innskrivne i perioden</translation>
    </message>
    <message>
        <source>Discharged in the range</source>
        <translation>Utskrivne i perioden</translation>
    </message>
    <message>
        <source>Nurses with a role here (people, not full-time posts)</source>
        <translation>Sjukepleiarar med rolle her (personar, ikkje årsverk)</translation>
    </message>
    <message>
        <source>Patients per nurse</source>
        <translation>Pasientar per sjukepleiar</translation>
    </message>
    <message>
        <source>Nurses needed at %1 patients per nurse</source>
        <translation>Sjukepleiarar som trengst ved %1 pasientar per sjukepleiar</translation>
    </message>
    <message>
        <source>Clinical alerts</source>
        <translation>Kliniske varsel</translation>
    </message>
    <message>
        <source>High-priority alerts claimed within %1 min</source>
        <translation>Varsel med høg prioritet tekne innan %1 min</translation>
    </message>
    <message>
        <source>Closed as measurement error</source>
        <translation>Avslutta som målefeil</translation>
    </message>
    <message>
        <source>Escalated</source>
        <translation>Eskalert</translation>
    </message>
    <message>
        <source>Waited for the centre to open</source>
        <translation>Venta på at senteret opna</translation>
    </message>
    <message>
        <source>Still open at the end of the range</source>
        <translation>Framleis opne ved slutten av perioden</translation>
    </message>
    <message>
        <source>Measurement adherence</source>
        <translation>Måleetterleving</translation>
    </message>
    <message>
        <source>Patients whose adherence is falling</source>
        <translation>Pasientar med søkkande måleetterleving</translation>
    </message>
    <message>
        <source>Video consultations held</source>
        <translation>Videokonsultasjonar gjennomførte</translation>
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
        <translation>Pasientar</translation>
    </message>
    <message>
        <source>Enrolled</source>
        <translation>Innskrivne</translation>
    </message>
    <message>
        <source>Discharged</source>
        <translation>Utskrivne</translation>
    </message>
    <message>
        <source>Nurses</source>
        <translation>Sjukepleiarar</translation>
    </message>
    <message>
        <source>Median follow-up (days)</source>
        <translation>Median oppfølgingstid (dagar)</translation>
    </message>
    <message>
        <source>All</source>
        <translation>Alle</translation>
    </message>
    <message>
        <source>Planning figure: %1 patients per full-time nurse. Nurses of the centre itself count in the total only.</source>
        <translation>Planleggingstal: %1 pasientar per sjukepleiarårsverk. Sjukepleiarar ved sjølve senteret er berre talde med i summen.</translation>
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
        <translation>Pasientar følgde opp, innskrivingar og utskrivingar per veke</translation>
    </message>
    <message>
        <source>Week</source>
        <translation>Veke</translation>
    </message>
    <message>
        <source>Patients at the end of the week</source>
        <translation>Pasientar ved slutten av veka</translation>
    </message>
    <message>
        <source>Alerts per day by priority</source>
        <translation>Varsel per dag etter prioritet</translation>
    </message>
    <message>
        <source>Alerts per week by priority</source>
        <translation>Varsel per veke etter prioritet</translation>
    </message>
    <message>
        <source>Day</source>
        <translation>Dag</translation>
    </message>
    <message>
        <source>Adherence items</source>
        <translation>Oppfølgingspunkt</translation>
    </message>
    <message>
        <source>Alerts by rule</source>
        <translation>Varsel etter regel</translation>
    </message>
    <message>
        <source>Rule</source>
        <translation>Regel</translation>
    </message>
    <message>
        <source>Alerts by department</source>
        <translation>Varsel etter avdeling</translation>
    </message>
    <message>
        <source>Clinical alerts per 100 patient-days</source>
        <translation>Kliniske varsel per 100 pasientdøgn</translation>
    </message>
    <message>
        <source>Per 100 patient-days</source>
        <translation>Per 100 pasientdøgn</translation>
    </message>
    <message>
        <source>No department</source>
        <translation>Inga avdeling</translation>
    </message>
    <message>
        <source>Outcomes of resolved alerts</source>
        <translation>Utfall av avslutta varsel</translation>
    </message>
    <message>
        <source>Outcome</source>
        <translation>Utfall</translation>
    </message>
    <message>
        <source>Share</source>
        <translation>Del</translation>
    </message>
    <message>
        <source>Closed automatically (the measurement came): %1. Escalated: %2.</source>
        <translation>Lukka automatisk (målinga kom): %1. Eskalert: %2.</translation>
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
        <translation>Varsel med høg prioritet tekne innan %1 min: %2 av %3.</translation>
    </message>
    <message>
        <source>Response times by department (clinical alerts)</source>
        <translation>Responstider etter avdeling (kliniske varsel)</translation>
    </message>
    <message>
        <source>Response times per week (clinical alerts)</source>
        <translation>Responstider per veke (kliniske varsel)</translation>
    </message>
    <message>
        <source>Response times by weekday raised (clinical alerts)</source>
        <translation>Responstider etter vekedag varselet kom (kliniske varsel)</translation>
    </message>
    <message>
        <source>Weekday</source>
        <translation>Vekedag</translation>
    </message>
    <message>
        <source>Response times by hour raised (clinical alerts)</source>
        <translation>Responstider etter klokkeslett varselet kom (kliniske varsel)</translation>
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
        <translation>Etterleving</translation>
    </message>
    <message>
        <source>Measurement adherence per programme</source>
        <translation>Måleetterleving per program</translation>
    </message>
    <message>
        <source>Scheduled: the measurements of each plan&apos;s times inside the range and the enrolment. A day&apos;s measurements count up to that day&apos;s schedule.</source>
        <translation>Planlagt: målingane etter klokkesletta i kvar plan innanfor perioden og innskrivinga. Målingane ein dag er talde opp til det som var planlagt den dagen.</translation>
    </message>
    <message>
        <source>Measurement adherence per department</source>
        <translation>Måleetterleving per avdeling</translation>
    </message>
    <message>
        <source>Measurement adherence per week and programme</source>
        <translation>Måleetterleving per veke og program</translation>
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
        <translation>Siste %1 dagar</translation>
    </message>
    <message>
        <source>Whole range</source>
        <translation>Heile perioden</translation>
    </message>
    <message>
        <source>Falling: the last %1 days at least %2 percentage points below the days before. Open a patient with Enter or a double click.</source>
        <translation>Søkkande: dei siste %1 dagane minst %2 prosentpoeng lågare enn dagane før. Opne ein pasient med Enter eller dobbeltklikk.</translation>
    </message>
    <message>
        <source>Measurement adherence per patient</source>
        <translation>Måleetterleving per pasient</translation>
    </message>
    <message>
        <source>Benefits (estimate)</source>
        <translation>Gevinstar (overslag)</translation>
    </message>
    <message>
        <source>Patient-weeks</source>
        <translation>Pasientveker</translation>
    </message>
    <message>
        <source>Video consultations</source>
        <translation>Videokonsultasjonar</translation>
    </message>
    <message>
        <source>Messages from patients</source>
        <translation>Meldingar frå pasientar</translation>
    </message>
    <message>
        <source>of them read</source>
        <translation>av dei lesne</translation>
    </message>
    <message>
        <source>Messages sent</source>
        <translation>Meldingar sende</translation>
    </message>
    <message>
        <source>Alerts handled without referral</source>
        <translation>Varsel handterte utan tilvising</translation>
    </message>
    <message>
        <source>Alerts resolved</source>
        <translation>Varsel avslutta</translation>
    </message>
    <message>
        <source>Baseline visits per patient-week</source>
        <translation>Besøk per pasientveke før (nullpunkt)</translation>
    </message>
    <message>
        <source>Minutes per visit</source>
        <translation>Minutt per besøk</translation>
    </message>
    <message>
        <source>Visits replaced (estimate)</source>
        <translation>Besøk erstatta (overslag)</translation>
    </message>
    <message>
        <source>Hours saved (estimate)</source>
        <translation>Timar spart (overslag)</translation>
    </message>
    <message>
        <source>Per nurse (counts and times, not a ranking)</source>
        <translation>Per sjukepleiar (tal og tider, ikkje ei rangering)</translation>
    </message>
    <message>
        <source>Nurse</source>
        <translation>Sjukepleiar</translation>
    </message>
    <message>
        <source>Patients as responsible nurse</source>
        <translation>Pasientar som ansvarleg sjukepleiar</translation>
    </message>
    <message>
        <source>Listed by name. For the department lead only.</source>
        <translation>Ordna etter namn. Berre for avdelingsleiar.</translation>
    </message>
    <message>
        <source>This is an estimate, not a measurement: patient-weeks followed × the visits per patient-week the department had before DHO (its baseline, entered by the lead) × the minutes per visit. Home visits still made are not recorded here and are not subtracted. Without a baseline no estimate is shown.</source>
        <translation>Dette er eit overslag, ikkje ei måling: pasientveker følgde opp × besøka per pasientveke avdelinga hadde før DHO (nullpunktsmålinga, lagd inn av leiaren) × minutt per besøk. Heimebesøk som framleis blir gjorde, er ikkje registrerte her og er ikkje trekte frå. Utan nullpunktsmåling blir det ikkje vist noko overslag.</translation>
    </message>
</context>
<context>
    <name>ReviewView</name>
    <message>
        <source>Mon</source>
        <translation>mån</translation>
    </message>
    <message>
        <source>Tue</source>
        <translation>tys</translation>
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
        <translation>lau</translation>
    </message>
    <message>
        <source>Sun</source>
        <translation>sun</translation>
    </message>
    <message>
        <source>closed</source>
        <translation>stengt</translation>
    </message>
    <message>
        <source>(default: the centre has published no opening hours)</source>
        <translation>(standard: senteret har ikkje publisert opningstid)</translation>
    </message>
    <message>
        <source>Review</source>
        <translation>Oversikt</translation>
    </message>
    <message>
        <source>Not available</source>
        <translation>Ikkje tilgjengeleg</translation>
    </message>
    <message>
        <source>The review is for department leads, superusers and administrators. You are signed in as %1, so it is not shown. Ask your department lead if you need these figures.</source>
        <translation>Oversikta er for avdelingsleiarar, superbrukarar og administratorar. Du er logga inn som %1, så ho blir ikkje vist. Spør avdelingsleiaren din om du treng tala.</translation>
    </message>
    <message>
        <source>a user without one of these roles</source>
        <translation>ein brukar utan ei av desse rollene</translation>
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
        <translation>Siste 7 dagar</translation>
    </message>
    <message>
        <source>Last 30 days</source>
        <translation>Siste 30 dagar</translation>
    </message>
    <message>
        <source>Last 90 days (quarter)</source>
        <translation>Siste 90 dagar (kvartal)</translation>
    </message>
    <message>
        <source>Previous week</source>
        <translation>Førre veke</translation>
    </message>
    <message>
        <source>Previous month</source>
        <translation>Førre månad</translation>
    </message>
    <message>
        <source>Previous quarter</source>
        <translation>Førre kvartal</translation>
    </message>
    <message>
        <source>This month</source>
        <translation>Denne månaden</translation>
    </message>
    <message>
        <source>Custom</source>
        <translation>Eigendefinert</translation>
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
        <translation>Alle avdelingar</translation>
    </message>
    <message>
        <source>&amp;Update</source>
        <translation>&amp;Oppdater</translation>
    </message>
    <message>
        <source>Update the review (F5)</source>
        <translation>Oppdater oversikta (F5)</translation>
    </message>
    <message>
        <source>Loading progress</source>
        <translation>Lasting</translation>
    </message>
    <message>
        <source>Loading %p %</source>
        <translation>Lastar %p %</translation>
    </message>
    <message>
        <source>&amp;Cancel</source>
        <translation>&amp;Avbryt</translation>
    </message>
    <message>
        <source>Cancel loading</source>
        <translation>Avbryt lastinga</translation>
    </message>
    <message>
        <source>C&amp;SV…</source>
        <translation>C&amp;SV …</translation>
    </message>
    <message>
        <source>Export the review as CSV</source>
        <translation>Eksporter oversikta som CSV</translation>
    </message>
    <message>
        <source>&amp;XLSX…</source>
        <translation>&amp;XLSX …</translation>
    </message>
    <message>
        <source>Export the review as an Excel workbook</source>
        <translation>Eksporter oversikta som Excel-arbeidsbok</translation>
    </message>
    <message>
        <source>&amp;PDF report…</source>
        <translation>PDF-&amp;rapport …</translation>
    </message>
    <message>
        <source>Export a printable PDF report</source>
        <translation>Eksporter ein PDF-rapport for utskrift</translation>
    </message>
    <message>
        <source>Where the figures come from</source>
        <translation>Kvar tala kjem frå</translation>
    </message>
    <message>
        <source>Choose a range; the figures load in the background.</source>
        <translation>Vel ein periode; tala blir lasta i bakgrunnen.</translation>
    </message>
    <message>
        <source>Review sections</source>
        <translation>Delar av oversikta</translation>
    </message>
    <message>
        <source>&amp;Overview</source>
        <translation>Over&amp;blikk</translation>
    </message>
    <message>
        <source>Patients followed per week</source>
        <translation>Pasientar følgde opp per veke</translation>
    </message>
    <message>
        <source>Planning figure: patients per full-time nurse</source>
        <translation>Planleggingstal: pasientar per sjukepleiarårsverk</translation>
    </message>
    <message>
        <source>Planning &amp;figure (patients per nurse):</source>
        <translation>Planleggings&amp;tal (pasientar per sjukepleiar):</translation>
    </message>
    <message>
        <source>&amp;Alerts</source>
        <translation>&amp;Varsel</translation>
    </message>
    <message>
        <source>Alerts by priority</source>
        <translation>Varsel etter prioritet</translation>
    </message>
    <message>
        <source>Response &amp;times</source>
        <translation>Respons&amp;tider</translation>
    </message>
    <message>
        <source>Time to claim per week</source>
        <translation>Tid til varselet vart teke, per veke</translation>
    </message>
    <message>
        <source>Target for claiming high-priority alerts (minutes)</source>
        <translation>Mål for å ta varsel med høg prioritet (minutt)</translation>
    </message>
    <message>
        <source>Ta&amp;rget for high priority:</source>
        <translation>&amp;Mål for høg prioritet:</translation>
    </message>
    <message>
        <source>A&amp;dherence</source>
        <translation>&amp;Etterleving</translation>
    </message>
    <message>
        <source>Adherence per week</source>
        <translation>Måleetterleving per veke</translation>
    </message>
    <message>
        <source>&amp;Benefits</source>
        <translation>&amp;Gevinstar</translation>
    </message>
    <message>
        <source>How the benefits are estimated</source>
        <translation>Korleis gevinstane er rekna ut</translation>
    </message>
    <message>
        <source>Per &amp;nurse</source>
        <translation>Per &amp;sjukepleiar</translation>
    </message>
    <message>
        <source>Loading cancelled. Press Update (F5) to load again.</source>
        <translation>Lastinga er avbroten. Trykk Oppdater (F5) for å laste på nytt.</translation>
    </message>
    <message>
        <source>Opening hours: %1</source>
        <translation>Opningstid: %1</translation>
    </message>
    <message>
        <source>Figures from the server&apos;s review operation in %1 s</source>
        <translation>Tal frå oversiktsoperasjonen til tenaren på %1 s</translation>
    </message>
    <message>
        <source>Figures from standard FHIR searches in %1 s</source>
        <translation>Tal frå vanlege FHIR-søk på %1 s</translation>
    </message>
    <message>
        <source>Per-nurse figures are for department leads only</source>
        <translation>Tal per sjukepleiar er berre for avdelingsleiarar</translation>
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
        <translation>Besøk per pasient per veke</translation>
    </message>
    <message>
        <source>Minutes per visit (with travel)</source>
        <translation>Minutt per besøk (med reisetid)</translation>
    </message>
    <message>
        <source>Visits per patient per week before DHO: %1</source>
        <translation>Besøk per pasient per veke før DHO: %1</translation>
    </message>
    <message>
        <source>Minutes per visit: %1</source>
        <translation>Minutt per besøk: %1</translation>
    </message>
    <message>
        <source>Patients at the end of the week</source>
        <translation>Pasientar ved slutten av veka</translation>
    </message>
    <message>
        <source>patients</source>
        <translation>pasientar</translation>
    </message>
    <message>
        <source>Adherence items</source>
        <translation>Oppfølgingspunkt</translation>
    </message>
    <message>
        <source>alerts</source>
        <translation>varsel</translation>
    </message>
    <message>
        <source>Median to claim</source>
        <translation>Median til teke</translation>
    </message>
    <message>
        <source>p90 to claim</source>
        <translation>p90 til teke</translation>
    </message>
    <message>
        <source>minutes of opening hours</source>
        <translation>minutt i opningstida</translation>
    </message>
    <message>
        <source>% of scheduled measurements</source>
        <translation>% av planlagde målingar</translation>
    </message>
    <message>
        <source>Response centre</source>
        <translation>Responssenter</translation>
    </message>
    <message>
        <source>Made</source>
        <translation>Laga</translation>
    </message>
    <message>
        <source>Made by</source>
        <translation>Laga av</translation>
    </message>
    <message>
        <source>Opening hours</source>
        <translation>Opningstid</translation>
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
        <translation>PDF-dokument (*.pdf)</translation>
    </message>
    <message>
        <source>Export the review</source>
        <translation>Eksporter oversikta</translation>
    </message>
    <message>
        <source>Could not save %1: %2</source>
        <translation>Kunne ikkje lagre %1: %2</translation>
    </message>
    <message>
        <source>Adherence for every patient is in the CSV and XLSX exports, not printed.</source>
        <translation>Måleetterleving for kvar pasient finst i CSV- og XLSX-eksporten, ikkje i utskrifta.</translation>
    </message>
    <message>
        <source>Range %1</source>
        <translation>Periode %1</translation>
    </message>
    <message>
        <source>Made %1 by %2 · DHO review</source>
        <translation>Laga %1 av %2 · DHO-oversikt</translation>
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
        <translation>Førre varsel</translation>
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
        <translation>Frigje varselet</translation>
    </message>
    <message>
        <source>Enter</source>
        <translation>Enter</translation>
    </message>
    <message>
        <source>Open the patient</source>
        <translation>Opne pasienten</translation>
    </message>
    <message>
        <source>R</source>
        <translation>R</translation>
    </message>
    <message>
        <source>Resolve (choose an outcome)</source>
        <translation>Avslutt (vel utfall)</translation>
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
        <translation>Utset</translation>
    </message>
    <message>
        <source>F</source>
        <translation>F</translation>
    </message>
    <message>
        <source>Forward to a department or a person</source>
        <translation>Vidaresend til ei avdeling eller ein person</translation>
    </message>
    <message>
        <source>N</source>
        <translation>N</translation>
    </message>
    <message>
        <source>Ask the patient for a new measurement</source>
        <translation>Be pasienten om ei ny måling</translation>
    </message>
    <message>
        <source>Ctrl+M</source>
        <translation>Ctrl+M</translation>
    </message>
    <message>
        <source>Silence the sound for 5 minutes</source>
        <translation>Demp lyden i 5 minutt</translation>
    </message>
    <message>
        <source>F1 or ?</source>
        <translation>F1 eller ?</translation>
    </message>
    <message>
        <source>This help</source>
        <translation>Denne hjelpa</translation>
    </message>
    <message>
        <source>1–6</source>
        <translation>1–6</translation>
    </message>
    <message>
        <source>In the resolve dialog: pick the outcome</source>
        <translation>I avslutningsdialogen: vel utfall</translation>
    </message>
    <message>
        <source>Ctrl+Enter</source>
        <translation>Ctrl+Enter</translation>
    </message>
    <message>
        <source>In a dialog: save / resolve</source>
        <translation>I ein dialog: lagre / avslutt</translation>
    </message>
    <message>
        <source>Esc</source>
        <translation>Esc</translation>
    </message>
    <message>
        <source>Close a dialog</source>
        <translation>Lukk ein dialog</translation>
    </message>
    <message>
        <source>Keyboard shortcuts</source>
        <translation>Snøggtastar</translation>
    </message>
    <message>
        <source>Keys</source>
        <translation>Tastar</translation>
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
        <translation>Utset – %1</translation>
    </message>
    <message>
        <source>Snooze the alert</source>
        <translation>Utset varselet</translation>
    </message>
    <message>
        <source>Snooze for</source>
        <translation>Utset i</translation>
    </message>
    <message numerus="yes">
        <source>%n minute(s)</source>
        <translation>
            <numerusform>%n minutt</numerusform>
            <numerusform>%n minutt</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n hour(s)</source>
        <translation>
            <numerusform>%n time</numerusform>
            <numerusform>%n timar</numerusform>
        </translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>Årsak</translation>
    </message>
    <message>
        <source>e.g. waiting for a new measurement</source>
        <translation>t.d. ventar på ny måling</translation>
    </message>
    <message>
        <source>Snooze &amp;for:</source>
        <translation>Utset &amp;i:</translation>
    </message>
    <message>
        <source>&amp;Reason:</source>
        <translation>&amp;Årsak:</translation>
    </message>
    <message>
        <source>&amp;Snooze</source>
        <translation>&amp;Utset</translation>
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
        <translation>dotter</translation>
    </message>
    <message>
        <source>son</source>
        <translation>son</translation>
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
        <translation>sambuar</translation>
    </message>
    <message>
        <source>sister</source>
        <translation>syster</translation>
    </message>
    <message>
        <source>brother</source>
        <translation>bror</translation>
    </message>
    <message>
        <source>sibling</source>
        <translation>sysken</translation>
    </message>
    <message>
        <source>grandchild</source>
        <translation>barnebarn</translation>
    </message>
    <message>
        <source>friend</source>
        <translation>ven</translation>
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
        <translation>ukjent namn</translation>
    </message>
    <message>
        <source>Relative: %1 (%2)</source>
        <translation>Pårørande: %1 (%2)</translation>
    </message>
    <message>
        <source>Relative: %1</source>
        <translation>Pårørande: %1</translation>
    </message>
    <message>
        <source>Health worker</source>
        <translation>Helsepersonell</translation>
    </message>
    <message>
        <source>Nurse %1</source>
        <translation>Sjukepleiar %1</translation>
    </message>
    <message>
        <source>Service</source>
        <translation>Teneste</translation>
    </message>
    <message>
        <source>Unknown sender</source>
        <translation>Ukjend avsendar</translation>
    </message>
    <message>
        <source>Read %1</source>
        <translation>Lese %1</translation>
    </message>
    <message>
        <source>Not read yet</source>
        <translation>Ikkje lese enno</translation>
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
        <translation>Ikkje sendt – prøv igjen</translation>
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
        <translation>Varslingsgrenser (ein verdi under nedre eller over øvre grense når nivået)</translation>
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
        <translation>Raud, nedre</translation>
    </message>
    <message>
        <source>Red, high</source>
        <translation>Raud, øvre</translation>
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
        <translation>Måletider (TT:MM, skilde med komma)</translation>
    </message>
    <message>
        <source>Times of day:</source>
        <translation>Klokkeslett:</translation>
    </message>
    <message>
        <source>Effect of the proposed limits</source>
        <translation>Verknad av dei føreslegne grensene</translation>
    </message>
    <message>
        <source>&amp;Save</source>
        <translation>&amp;Lagra</translation>
    </message>
    <message>
        <source>Save thresholds and times</source>
        <translation>Lagra grenser og tider</translation>
    </message>
    <message>
        <source>&amp;Close</source>
        <translation>&amp;Lukk</translation>
    </message>
    <message>
        <source>Close without saving</source>
        <translation>Lukk utan å lagra</translation>
    </message>
    <message>
        <source>Your role may view but not change the plan.</source>
        <translation>Rolla di kan sjå, men ikkje endra planen.</translation>
    </message>
    <message>
        <source>The plan has no limits of its own: showing the standard template. Saving makes them the patient&apos;s own.</source>
        <translation>Planen har ingen eigne grenser: viser standardmalen. Lagrar du, vert dei pasienten sine eigne.</translation>
    </message>
    <message>
        <source>The patient&apos;s own limits (version %1).</source>
        <translation>Pasienten sine eigne grenser (versjon %1).</translation>
    </message>
    <message>
        <source>Not a number</source>
        <translation>Ikkje eit tal</translation>
    </message>
    <message>
        <source>Outside %1–%2</source>
        <translation>Utanfor %1–%2</translation>
    </message>
    <message>
        <source>Red low must be below yellow low: the red band lies outside the yellow one.</source>
        <translation>Raud nedre må vera lågare enn gul nedre: raudt område ligg utanfor det gule.</translation>
    </message>
    <message>
        <source>Red high must be above yellow high: the red band lies outside the yellow one.</source>
        <translation>Raud øvre må vera høgare enn gul øvre: raudt område ligg utanfor det gule.</translation>
    </message>
    <message>
        <source>Yellow low must be below yellow high.</source>
        <translation>Gul nedre må vera lågare enn gul øvre.</translation>
    </message>
    <message>
        <source>Red low must be below red high.</source>
        <translation>Raud nedre må vera lågare enn raud øvre.</translation>
    </message>
    <message>
        <source>“%1” is not a time (HH:MM)</source>
        <translation>«%1» er ikkje eit klokkeslett (TT:MM)</translation>
    </message>
    <message>
        <source>No measurements in the last 30 days.</source>
        <translation>Ingen målingar dei siste 30 dagane.</translation>
    </message>
    <message>
        <source>Correct the input to see its effect.</source>
        <translation>Rett opp verdiane for å sjå verknaden.</translation>
    </message>
    <message>
        <source>Last 30 days: current limits %1 yellow and %2 red alerts; proposed %3 yellow and %4 red.</source>
        <translation>Siste 30 dagar: gjeldande grenser %1 gule og %2 raude varsel; framlegget %3 gule og %4 raude.</translation>
    </message>
    <message>
        <source>Saving…</source>
        <translation>Lagrar …</translation>
    </message>
    <message>
        <source>Not saved: %1</source>
        <translation>Ikkje lagra: %1</translation>
    </message>
    <message>
        <source>Saved.</source>
        <translation>Lagra.</translation>
    </message>
    <message>
        <source>another user</source>
        <translation>ein annan brukar</translation>
    </message>
    <message>
        <source>Not saved: %1 changed this plan at %2. Their version is now the base; your values are still in the fields. Check them and save again.</source>
        <translation>Ikkje lagra: %1 endra planen %2. Den versjonen er no utgangspunktet; verdiane dine står framleis i felta. Kontroller dei og lagra på nytt.</translation>
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
        <translation>Siste 24 timar</translation>
    </message>
    <message>
        <source>7 d</source>
        <translation>7 d</translation>
    </message>
    <message>
        <source>Last 7 days</source>
        <translation>Siste 7 dagar</translation>
    </message>
    <message>
        <source>30 d</source>
        <translation>30 d</translation>
    </message>
    <message>
        <source>Last 30 days</source>
        <translation>Siste 30 dagar</translation>
    </message>
    <message>
        <source>90 d</source>
        <translation>90 d</translation>
    </message>
    <message>
        <source>Last 90 days</source>
        <translation>Siste 90 dagar</translation>
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
        <translation>Eigendefinert …</translation>
    </message>
    <message>
        <source>Custom period</source>
        <translation>Eigendefinert periode</translation>
    </message>
    <message>
        <source>Period start</source>
        <translation>Starten på perioden</translation>
    </message>
    <message>
        <source>Period end</source>
        <translation>Slutten på perioden</translation>
    </message>
    <message>
        <source>&amp;From</source>
        <translation>&amp;Frå</translation>
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
        <translation>Oksygenmetting (SpO2)</translation>
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
        <translation>ingenting lasta</translation>
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
        <translation>opna pasienten</translation>
    </message>
    <message>
        <source>resolved the alert</source>
        <translation>avslutta varselet</translation>
    </message>
    <message>
        <source>sent a message</source>
        <translation>sende ei melding</translation>
    </message>
    <message>
        <source>escalated</source>
        <translation>eskalerte</translation>
    </message>
    <message>
        <source>escalated by the server (not claimed in time)</source>
        <translation>eskalert av tenaren (ikkje teke i tide)</translation>
    </message>
    <message>
        <source>started a video call</source>
        <translation>starta ein videosamtale</translation>
    </message>
    <message>
        <source>forwarded</source>
        <translation>vidaresende</translation>
    </message>
    <message>
        <source>wrote a comment</source>
        <translation>skreiv ein kommentar</translation>
    </message>
    <message>
        <source>snoozed the alert</source>
        <translation>utsette varselet</translation>
    </message>
    <message>
        <source>released the alert</source>
        <translation>frigav varselet</translation>
    </message>
    <message>
        <source>Trainer&apos;s controls</source>
        <extracomment>FHIR Task priorities (an &quot;alert&quot; action&apos;s detail).</extracomment>
        <translation>Instruktøren sine kontrollar</translation>
    </message>
    <message>
        <source>The trainer&apos;s controls are for superusers and administrators. Your role (%1) does not give access to them; your own debrief is under Training &gt; My debrief.</source>
        <translation>Instruktøren sine kontrollar er for superbrukarar og administratorar. Rolla di (%1) gjev ikkje tilgang til dei; di eiga oppsummering finn du under Trening &gt; Mi oppsummering.</translation>
    </message>
    <message>
        <source>Not for your role</source>
        <translation>Ikkje for rolla di</translation>
    </message>
    <message>
        <source>1. Choose</source>
        <translation>1. Vel</translation>
    </message>
    <message>
        <source>S&amp;cenarios (tick the ones to run):</source>
        <translation>S&amp;cenario (kryss av dei som skal køyrast):</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>Tid</translation>
    </message>
    <message>
        <source>Scenario ev&amp;ents:</source>
        <translation>&amp;Hendingane i scenarioet:</translation>
    </message>
    <message>
        <source>Scenario</source>
        <translation>Scenario</translation>
    </message>
    <message>
        <source>an alert was raised</source>
        <translation>eit varsel vart laga</translation>
    </message>
    <message>
        <source>Training: the trainer’s controls</source>
        <translation>Trening: instruktøren sine kontrollar</translation>
    </message>
    <message>
        <source>Patient group</source>
        <translation>Pasientgruppe</translation>
    </message>
    <message>
        <source>Duration</source>
        <translation>Varigheit</translation>
    </message>
    <message>
        <source>Patients</source>
        <translation>Pasientar</translation>
    </message>
    <message>
        <source>Scenarios</source>
        <translation>Scenario</translation>
    </message>
    <message>
        <source>T&amp;rainees (training accounts):</source>
        <translation>&amp;Deltakarar (treningsbrukarar):</translation>
    </message>
    <message>
        <source>Trainees</source>
        <translation>Deltakarar</translation>
    </message>
    <message>
        <source>&amp;Load chosen</source>
        <translation>&amp;Last valde</translation>
    </message>
    <message>
        <source>Load the chosen</source>
        <translation>Last dei valde</translation>
    </message>
    <message>
        <source>Load a scenario file</source>
        <translation>Last ei scenariofil</translation>
    </message>
    <message>
        <source>Load a scenario f&amp;ile…</source>
        <translation>Last ei scenario&amp;fil …</translation>
    </message>
    <message>
        <source>E&amp;xport scenario…</source>
        <translation>E&amp;ksporter scenario …</translation>
    </message>
    <message>
        <source>Export the scenario file to share</source>
        <translation>Eksporter scenariofila for å dele ho</translation>
    </message>
    <message>
        <source>Problem</source>
        <translation>Problem</translation>
    </message>
    <message>
        <source>2. Run</source>
        <translation>2. Køyr</translation>
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
        <translation>&amp;Neste hending</translation>
    </message>
    <message>
        <source>Step</source>
        <translation>Neste hending</translation>
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
        <translation>Fart (simulerte minutt per minutt)</translation>
    </message>
    <message>
        <source>Spee&amp;d:</source>
        <translation>&amp;Fart:</translation>
    </message>
    <message>
        <source>Run &amp;faster</source>
        <translation>Køyr &amp;raskare</translation>
    </message>
    <message>
        <source>Set the speed</source>
        <translation>Set farten</translation>
    </message>
    <message>
        <source>Session state</source>
        <translation>Tilstanden til økta</translation>
    </message>
    <message>
        <source>3. Inject an event now</source>
        <translation>3. Legg inn ei hending no</translation>
    </message>
    <message>
        <source>Scenario patient</source>
        <translation>Scenariopasient</translation>
    </message>
    <message>
        <source>What to inject</source>
        <translation>Kva som blir lagt inn</translation>
    </message>
    <message>
        <source>A measured value</source>
        <translation>Ein måleverdi</translation>
    </message>
    <message>
        <source>A message from the patient</source>
        <translation>Ei melding frå pasienten</translation>
    </message>
    <message>
        <source>A missed measurement</source>
        <translation>Ei uteblitt måling</translation>
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
        <translation>Det pasienten skriv</translation>
    </message>
    <message>
        <source>Inject now</source>
        <translation>Legg inn no</translation>
    </message>
    <message>
        <source>In&amp;ject now</source>
        <translation>Legg &amp;inn no</translation>
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
        <translation>Handlingane til deltakarane &amp;fortløpande:</translation>
    </message>
    <message>
        <source>Trainee</source>
        <translation>Deltakar</translation>
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
        <translation>Handlingane til deltakarane</translation>
    </message>
    <message>
        <source>Event</source>
        <translation>Hending</translation>
    </message>
    <message>
        <source>Done</source>
        <translation>Skjedd</translation>
    </message>
    <message>
        <source>Scenario events</source>
        <translation>Hendingane i scenarioet</translation>
    </message>
    <message>
        <source>Show the debrief</source>
        <translation>Vis oppsummeringa</translation>
    </message>
    <message>
        <source>Show the de&amp;brief</source>
        <translation>Vis &amp;oppsummeringa</translation>
    </message>
    <message>
        <source>State: nothing loaded. Choose and load scenarios.</source>
        <translation>Tilstand: ingenting lasta. Vel og last scenario.</translation>
    </message>
    <message>
        <source>State: %1 · simulated time %2 · speed × %3 · %4 scenarios, %5 trainees</source>
        <translation>Tilstand: %1 · simulert tid %2 · fart × %3 · %4 scenario, %5 deltakarar</translation>
    </message>
    <message>
        <source>✓ done</source>
        <translation>✓ skjedd</translation>
    </message>
    <message>
        <source>… to come</source>
        <translation>… kjem</translation>
    </message>
    <message>
        <source>trainee %1</source>
        <translation>deltakar %1</translation>
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
        <translation>Scenariofila vart ikkje lasta</translation>
    </message>
    <message>
        <source>Tick at least one scenario to load.</source>
        <translation>Kryss av minst eitt scenario som skal lastast.</translation>
    </message>
    <message>
        <source>Scenario files (*.yaml *.yml *.json *.toml)</source>
        <translation>Scenariofiler (*.yaml *.yml *.json *.toml)</translation>
    </message>
    <message>
        <source>Could not read %1: %2</source>
        <translation>Kunne ikkje lese %1: %2</translation>
    </message>
    <message>
        <source>Choose a scenario to export.</source>
        <translation>Vel eit scenario som skal eksporterast.</translation>
    </message>
    <message>
        <source>Export the scenario file</source>
        <translation>Eksporter scenariofila</translation>
    </message>
    <message>
        <source>Choose a scenario patient first.</source>
        <translation>Vel ein scenariopasient først.</translation>
    </message>
    <message>
        <source>Write the message the patient sends.</source>
        <translation>Skriv meldinga pasienten sender.</translation>
    </message>
</context>
<context>
    <name>TrainingFeature</name>
    <message>
        <source>&amp;Trainer&apos;s controls…</source>
        <translation>&amp;Instruktøren sine kontrollar …</translation>
    </message>
    <message>
        <source>&amp;Debrief…</source>
        <translation>&amp;Oppsummering …</translation>
    </message>
    <message>
        <source>My &amp;debrief…</source>
        <translation>Mi &amp;oppsummering …</translation>
    </message>
    <message>
        <source>&amp;Restart in training mode</source>
        <translation>&amp;Start på nytt i treningsmodus</translation>
    </message>
    <message>
        <source>Only on a training server (dho-console --training).</source>
        <translation>Berre på ein treningstenar (dho-console --training).</translation>
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
        <translation>%1 — treningstenar med syntetiske pasientar: ingenting her er ekte, og ingenting her når ein ekte pasient.</translation>
    </message>
</context>
<context>
    <name>TrainingService</name>
    <message>
        <source>This server is not a training server: scenarios can only be loaded on a training backend (dho-console --training).</source>
        <extracomment>Seconds between status polls while a session is loaded. A scenario file was refused: (text, line or 0, field or &quot;&quot;). Anything else that went wrong, as a sentence for the trainer. The server is not a training backend: nothing may be loaded. The text of the last scenario file loaded (exported as it was).</extracomment>
        <translation>Denne tenaren er ikkje ein treningstenar: scenario kan berre lastast på ein treningstenar (dho-console --training).</translation>
    </message>
</context>
<context>
    <name>TrendPlot</name>
    <message>
        <source>Plus and minus zoom, arrow keys move in time, Home resets the view, Ctrl+arrow keys step from measurement to measurement.</source>
        <extracomment>Show point symbols only when at most this many points are visible. The zone times are shown in (the owner sets it: a response centre&apos;s, not the computer&apos;s).</extracomment>
        <translation>Pluss og minus zoomar, piltastane flyttar i tid, Home tilbakestiller visinga, Ctrl+piltast går frå måling til måling.</translation>
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
        <translation>Ingen pårørande</translation>
    </message>
    <message>
        <source>Also invite a relative</source>
        <translation>Inviter òg ein pårørande</translation>
    </message>
    <message>
        <source>Also &amp;invite:</source>
        <translation>&amp;Inviter òg:</translation>
    </message>
    <message>
        <source>Meeting link</source>
        <translation>Møtelenkje</translation>
    </message>
    <message>
        <source>Made when the call starts</source>
        <translation>Blir laga når samtalen startar</translation>
    </message>
    <message>
        <source>Meeting &amp;link:</source>
        <translation>Møte&amp;lenkje:</translation>
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
        <translation>Kva vart avtalt? Blir lagra med samtalen når du avsluttar.</translation>
    </message>
    <message>
        <source>&amp;Outcome:</source>
        <translation>&amp;Utfall:</translation>
    </message>
    <message>
        <source>Address of the video service</source>
        <translation>Adressa til videotenesta</translation>
    </message>
    <message>
        <source>for example video.kommune.no</source>
        <translation>til dømes video.kommune.no</translation>
    </message>
    <message>
        <source>Video &amp;service:</source>
        <translation>Video&amp;teneste:</translation>
    </message>
    <message>
        <source>No video service is set up on this computer yet. Enter the one your municipality uses (ask IT if unsure); it is remembered for the next calls.</source>
        <translation>Inga videoteneste er sett opp på denne datamaskina enno. Skriv inn den kommunen brukar (spør IT om du er usikker); ho blir hugsa til dei neste samtalane.</translation>
    </message>
    <message>
        <source>Starting books the call, sends the link to the patient (and the relative) in the message thread and opens it in your browser.</source>
        <translation>Når du startar, blir samtalen booka, lenkja send til pasienten (og den pårørande) i meldingstråden og opna i nettlesaren din.</translation>
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
        <translation>O&amp;pna lenkja igjen</translation>
    </message>
    <message>
        <source>Open the meeting link again</source>
        <translation>Opna møtelenkja igjen</translation>
    </message>
    <message>
        <source>&amp;Copy link</source>
        <translation>&amp;Kopier lenkje</translation>
    </message>
    <message>
        <source>Copy the meeting link</source>
        <translation>Kopier møtelenkja</translation>
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
        <translation>Lukk vindauget</translation>
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
        <translation>Avslutta – varte %1</translation>
    </message>
    <message>
        <source>That is not a host name. Enter only the name, e.g. video.kommune.no.</source>
        <translation>Det er ikkje eit vertsnamn. Skriv berre namnet, t.d. video.kommune.no.</translation>
    </message>
    <message>
        <source>Starting…</source>
        <translation>Startar …</translation>
    </message>
    <message>
        <source>Could not complete: %1</source>
        <translation>Kunne ikkje fullføre: %1</translation>
    </message>
    <message>
        <source>Not started</source>
        <translation>Ikkje starta</translation>
    </message>
</context>
<context>
    <name>Workbench</name>
    <message>
        <source>Escalation inbox</source>
        <extracomment>Longest wait for each step of `stop` (seconds). The server&apos;s clock (console.domain.clock): every model, service and view reads it. Who raises alerts: &quot;server&quot; (its rules) or &quot;console&quot; (`ConsoleAlertRaiser`). Patient views take their plots ready-built from here (filled after `load`). Messages to patients in the patient&apos;s language, from the department&apos;s templates.</extracomment>
        <translation>Innboks for eskaleringar</translation>
    </message>
    <message>
        <source>An alert could not be written to the server: %1</source>
        <translation>Eit varsel kunne ikkje lagrast på serveren: %1</translation>
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
        <translation>&amp;Innboks for eskaleringar …</translation>
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
        <translation>Varsel: %1 høg · %2 middels · %3 låg</translation>
    </message>
</context>
</TS>
