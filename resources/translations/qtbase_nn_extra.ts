<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="nn_NO" sourcelanguage="en">
<!-- Nynorsk for the few Qt (qtbase) strings Qt's own qtbase_nn misses in the file dialog.
     Loaded over qtbase_nn; compiled by packaging/translations.py release. -->
<context>
    <name>QFileDialog</name>
    <message>
        <source>&amp;Look in:</source>
        <translation>&amp;Leit i:</translation>
    </message>
    <message>
        <source>Files of &amp;type:</source>
        <translation>Filer av &amp;typen:</translation>
    </message>
</context>
</TS>
