import Foundation
import Testing

/// `cmrg evaluate` gives the same bytes whatever the number of workers.
@Suite struct EvaluateJobsTests {
    @Test func outputsDoNotDependOnJobs() throws {
        let dir = try CLI.temporaryDirectory()
        let portfolio = dir.appendingPathComponent("generated.csv").path
        let generated = try CLI.run(["generate", "--count", "3000", "--seed", "5", "--as-of", "2026-11-25", "--output", portfolio])
        #expect(generated.status == 0, "\(generated.stderr)")
        for format in ["csv", "table", "markdown", "json"] {
            var outputs: [String] = []
            for jobs in ["1", "2", "0"] {
                let out = dir.appendingPathComponent("\(format)-\(jobs).out").path
                let r = try CLI.run(["evaluate", "--portfolio", portfolio, "--as-of", "2026-11-25", "--format", format,
                                     "--jobs", jobs, "--output", out])
                #expect(r.status == 0 && r.stdout.isEmpty && r.stderr.isEmpty, "\(r.stderr)")
                outputs.append(try String(contentsOfFile: out, encoding: .utf8))
            }
            #expect(outputs[0] == outputs[1] && outputs[0] == outputs[2], "\(format)")
        }
        let csv = try String(contentsOfFile: dir.appendingPathComponent("csv-1.out").path, encoding: .utf8)
        #expect(csv.split(separator: "\n").count == 3001)
    }
}
