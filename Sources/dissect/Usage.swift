enum Usage {
    /// pyshark takes the version from the last " X.Y.Z" on this line (a greedy regex), so our own
    /// version must not read as one: "v0.1.0" keeps pyshark at 4.0.17 (JSON, -Y, --no-duplicate-keys).
    static let versionLine = "TShark (Wireshark) 4.0.17 (dissect v0.1.0)"

    static let short = "See 'dissect -h' for help."

    static let full = """
    \(versionLine)
    Dump and analyze network traffic (tshark-compatible).
    See the README for more information.

    Usage: dissect [options] ...

    Capture interface:
      -i <interface>, --interface <interface>
                               name or idx of interface (def: first listed), or - for
                               a capture stream on standard input
      -f <capture filter>      packet filter in libpcap filter syntax
      -s <snaplen>, --snapshot-length <snaplen>
                               packet snapshot length (def: appropriate maximum)
      -p, --no-promiscuous-mode
                               don't capture in promiscuous mode
      -I, --monitor-mode       capture in monitor mode, if available
      -B <buffer size>, --buffer-size <buffer size>
                               size of kernel buffer in MiB (def: 8MiB)
      -y <link type>, --linktype <link type>
                               link layer type (def: first appropriate)
      -D, --list-interfaces    print list of interfaces and exit
      -L, --list-data-link-types
                               print list of link-layer types of iface and exit

    Capture stop conditions:
      -c <packet count>        stop after n packets (def: infinite)
      -a <autostop cond.> ..., --autostop <autostop cond.> ...
                               duration:NUM - stop after NUM seconds
                               filesize:NUM - stop this file after NUM KB
                                  files:NUM - stop after NUM files
                                packets:NUM - stop after NUM packets
    Capture output:
      -b <ringbuffer opt.> ..., --ring-buffer <ringbuffer opt.>
                               duration:NUM - switch to next file after NUM secs
                               filesize:NUM - switch to next file after NUM KB
                                  files:NUM - ringbuffer: replace after NUM files
                                packets:NUM - switch to next file after NUM packets
                               interval:NUM - switch to next file when the time is
                                              an exact multiple of NUM secs
                            printname:FILE - print each finished file's name to FILE

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
