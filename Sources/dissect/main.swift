import ArgumentParser
import DissectKit
import Plugins
#if canImport(Glibc)
import Glibc
#endif

/// Prints "dissect: MESSAGE" to stderr.
func printError(_ message: String) {
    var s = "dissect: " + message + "\n"
    s.withUTF8 { _ = Glibc.write(2, $0.baseAddress, $0.count) }
}

func printStderr(_ message: String) {
    var s = message + "\n"
    s.withUTF8 { _ = Glibc.write(2, $0.baseAddress, $0.count) }
}

signal(SIGPIPE, SIG_IGN)

let rawArgs = Array(CommandLine.arguments.dropFirst())
let (args, argError) = normalizeArguments(rawArgs)
if let argError {
    printError(argError)
    printStderr(Usage.short)
    exit(1)
}

let options: DissectOptions
do {
    options = try DissectOptions.parse(args)
} catch {
    let code = DissectOptions.exitCode(for: error)
    if code == .success {
        // -h / --help
        print(Usage.full)
        exit(0)
    }
    printError(DissectOptions.message(for: error))
    printStderr(Usage.short)
    exit(1)
}

exit(Runner(options: options).run())
