import Foundation
import Portfolio
import RuleEngine

/// Where a command's output goes: a file, written whole or not at all (`AtomicFile`: a
/// temporary file renamed into place), or standard output for nil. Once `interruption` is
/// requested nothing more is published.
public enum OutputFile {
    /// Streams what `render` appends (drained every megabyte, so a national register's output
    /// is never held whole).
    public static func write(to path: String?, unless interruption: Interruption? = nil,
                             _ render: (OutputBuffer) -> Void) throws {
        try interruption?.check()
        let writer = try AtomicFile.Writer(path: path ?? "-")
        let out = OutputBuffer { bytes throws(AtomicFile.WriteError) in try writer.write(bytes) }
        render(out)
        try out.finish()
        try interruption?.check() // the temporary file goes with the writer
        try writer.commit()
    }

    public static func write(_ text: String, to path: String?, unless interruption: Interruption? = nil) throws {
        try interruption?.check()
        if let path {
            try AtomicFile.write(text, to: path)
        } else {
            FileHandle.standardOutput.write(Data(text.utf8))
        }
    }
}
