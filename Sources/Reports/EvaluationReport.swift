import UseCases

/// `cmrg evaluate` in one call: the evaluation each output format needs, rendered.
public enum EvaluationReport {
    /// Runs `evaluation` for `format`: every trail for JSON, only summaries for the formats
    /// that show none (bounded memory on a national register; Markdown also fingerprints the
    /// register for its provenance). Returns the rendering, to stream out once the run is done.
    public static func run(_ evaluation: PortfolioEvaluation, as format: OutputFormat, width: Int,
                           _ observer: RunObserver) throws -> (OutputBuffer) -> Void {
        guard let summaryFormat = format.summaryFormat else {
            let run = try evaluation.evaluations(observer)
            let text = EvaluationRenderer.render(RankedEvaluations(run.portfolio.evaluations, provenance: run.provenance),
                                                 as: format, width: width)
            return { $0.append(text) }
        }
        let run = try evaluation.summaries(fingerprintInput: summaryFormat == .markdown, observer)
        let ranked = RankedSummaries(run.summary, provenance: run.provenance)
        let jobs = evaluation.inputs.workers
        return { EvaluationRenderer.render(ranked, as: summaryFormat, width: width, jobs: jobs, to: $0) }
    }
}
