enum Usage {
    static let versionLine = "TShark (Wireshark) 4.0.17 (dissect 0.1.0)"

    static let short = "See 'dissect -h' for help."

    static let full = """
    \(versionLine)
    Dump and analyze network traffic (tshark-compatible).
    See the README for more information.

    Usage: dissect [options] ...

    Input file:
      -r <infile>, --read-file <infile>
                               set the filename to read from (or '-' for stdin)

    Processing:
      -2                       perform a two-pass analysis
      -R <read filter>         packet Read filter in Wireshark display filter syntax (requires -2)
      -Y <display filter>      packet displaY filter in Wireshark display filter syntax
      -n                       disable all name resolutions (def: "mNd" enabled, or
                               as set in preferences)
      -N <name resolve flags>  enable specific name resolution(s): "mnNtdv"
      -d <layer_type>==<selector>,<decode_as_protocol> ...
                               "Decode As", see the man page for details
      -c <packet count>        stop after n packets (def: infinite)

    Output:
      -w <outfile|->           write packets to a pcapng-format file named "outfile"
      -V                       add output of packet tree        (Packet Details)
      -O <protocols>           Only show packet details of these protocols, comma
                               separated
      -P, --print              print packet summary even when writing to a file
      -S <separator>           the line separator to print between packets
      -x                       add output of hex and ASCII dump (Packet Bytes)
      -T pdml|ps|psml|json|jsonraw|ek|tabs|text|fields|?
                               format of text output (def: text)
      -e <field>               field to print if -Tfields selected (e.g. tcp.port,
                               _ws.col.Info)
                               this option can be repeated to print multiple fields
      -E<fieldsoption>=<value> set options for output when -Tfields selected:
         bom=y|n               print a UTF-8 BOM
         header=y|n            switch headers on and off
         separator=/t|/s|<char> select tab, space, printable character as separator
         occurrence=f|l|a      print first, last or all occurrences of each field
         aggregator=,|/s|<char> select comma, space, printable character as
                               aggregator
         quote=d|s|n           select double, single, no quotes for values
      -t a|ad|adoy|d|dd|e|r|u|ud|udoy
                               output format of time stamps (def: r: rel. to first)
      -l                       flush standard output after each packet
      -q                       be more quiet on stdout (e.g. when using statistics)
      -Q                       only log true errors to stderr (quieter than -q)
      -z <statistics>          various statistics, see the man page for details
      --threads <n>            worker threads (dissect only)

    Miscellaneous:
      -h, --help               display this help and exit
      -v, --version            display version info and exit
      -o <name>:<value> ...    override preference setting
      -G [report]              dump one of several available reports and exit
    """
}
