import Crypto
import Foundation

/// SHA-256 fingerprints recorded in provenance, so a report says exactly which rules and
/// which register produced it.
public enum Fingerprint {
    /// Over each rule file's name and bytes, in load order (renaming a file changes it too).
    public static func rulePack(_ pack: RulePack) -> String {
        var hasher = SHA256()
        for file in pack.files {
            let name = (file.path as NSString).lastPathComponent
            hasher.update(data: Data("\(name)\0\(file.text.utf8.count)\0".utf8))
            hasher.update(data: Data(file.text.utf8))
        }
        return hex(hasher.finalize())
    }

    /// Of a file's bytes, read in chunks (registers can be large).
    public static func file(atPath path: String) throws -> String {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw CocoaError(.fileReadNoSuchFile, userInfo: [NSFilePathErrorKey: path])
        }
        defer { try? handle.close() }
        var hasher = SHA256()
        while let chunk = try handle.read(upToCount: 1 << 20), !chunk.isEmpty {
            hasher.update(data: chunk)
        }
        return hex(hasher.finalize())
    }

    static func hex(_ digest: SHA256.Digest) -> String {
        digest.map { byte in
            let s = String(byte, radix: 16)
            return s.count == 1 ? "0" + s : s
        }.joined()
    }
}
