/// The report's CSS: a screen layout, and print rules for A4 — every section on a new page,
/// table headers repeated on each page, rows and charts never split, colours that survive
/// black-and-white printing (every coloured mark also carries its text).
enum ReportStyle {
    static let stylesheet = """
    body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif;color:#1b1b1b;margin:0;line-height:1.45;background:#fff}
    header{background:#1f3a5f;color:#fff;padding:1.2rem 2rem}
    header h1{margin:0;font-size:1.6rem}
    .subtitle{margin:.2rem 0 0;opacity:.9}
    main{padding:0 2rem;max-width:1200px}
    section{margin:1.6rem 0}
    h2{font-size:1.25rem;border-bottom:2px solid #1f3a5f;padding-bottom:.2rem}
    h3{font-size:1.05rem;margin:1.2rem 0 .3rem}
    .cards{display:flex;flex-wrap:wrap;gap:.8rem}
    .card{border:1px solid #ccd;border-radius:6px;padding:.6rem .9rem;min-width:8rem}
    .card .number{display:block;font-size:1.5rem;font-weight:700}
    .card .what{font-size:.9rem;color:#444}
    .card-gold{border-left:6px solid #b58500}.card-silver{border-left:6px solid #6b7b8c}.card-bronze{border-left:6px solid #9c5a2e}
    .charts{display:flex;flex-wrap:wrap;gap:2rem}
    figure{margin:1rem 0}
    figcaption{font-size:.85rem;color:#555}
    svg text{font-size:12px;fill:#1b1b1b}
    svg .lane{stroke:#ddd}svg .tick{stroke:#eee}svg .zero{stroke:#000}
    table{border-collapse:collapse;width:100%;font-size:.92rem;margin:.5rem 0}
    caption{text-align:left;font-weight:600;padding:.3rem 0}
    th,td{border-bottom:1px solid #ddd;padding:.35rem .5rem;text-align:left;vertical-align:top}
    th{background:#f0f3f7}
    tr.new-meeting td{border-top:2px solid #1f3a5f}
    td.date{white-space:nowrap}
    td.num{text-align:right;font-variant-numeric:tabular-nums}
    .id{font-family:ui-monospace,Menlo,Consolas,monospace;color:#1f3a5f;font-weight:600}
    .tier{display:inline-block;padding:0 .45rem;border-radius:3px;color:#fff;font-size:.85rem}
    .tier-gold{background:#b58500}.tier-silver{background:#6b7b8c}.tier-bronze{background:#9c5a2e}
    .rag{display:inline-block;padding:0 .45rem;border-radius:3px;font-size:.85rem;font-weight:600;border:1px solid #555}
    .rag-red{background:#f4c7c3;color:#7a1010}.rag-amber{background:#fde3a7;color:#6b4300}.rag-green{background:#cdebd3;color:#14532d}
    .overdue{color:#7a1010;font-weight:700}
    .legend{list-style:none;padding:0;display:flex;flex-wrap:wrap;gap:1rem;font-size:.85rem}
    .swatch{display:inline-block;width:.9rem;height:.9rem;margin-right:.3rem;vertical-align:middle;border:1px solid #888}
    .swatch.negative{background:repeating-linear-gradient(45deg,#fff 0 2px,#555 2px 4px)!important}
    .note{color:#555;font-style:italic}
    table.heatmap{font-size:.78rem;table-layout:fixed}
    table.heatmap th{font-size:.72rem;vertical-align:bottom;text-align:center;padding:.2rem .1rem}
    table.heatmap th.area{writing-mode:vertical-rl;transform:rotate(180deg);white-space:normal;height:10em;text-align:left;font-size:.68rem;line-height:1.1}
    table.heatmap th.contract{width:27%;text-align:left}
    table.heatmap th.tiercol{width:3.6em}
    table.heatmap td{text-align:center;padding:.2rem .1rem;border:1px solid #fff}
    table.heatmap td.contract{text-align:left}
    .m-recent{background:#cdebd3}.m-due{background:#fde3a7}.m-old{background:#f4c7c3}
    .m-never{background:#5a5a5a;color:#fff;font-size:.68rem}
    tfoot td{font-weight:600;border-top:2px solid #1f3a5f}
    ul.checks li{margin:.3rem 0}
    footer{padding:1rem 2rem;border-top:1px solid #ccc;font-size:.8rem;color:#444}
    footer h2{font-size:1rem;border:none}
    .hash{word-break:break-all}
    @page{size:A4;margin:14mm 12mm}
    @media print{
    body{font-size:9.5pt}
    header{background:none;color:#000;border-bottom:2px solid #000;padding:0 0 .4rem}
    main{padding:0;max-width:none}
    footer{padding:0}
    section,footer#provenance{break-before:page;margin:0}
    section#summary{break-before:auto}
    h2,h3,caption{break-after:avoid}
    thead{display:table-header-group}
    tfoot{display:table-footer-group}
    tr,figure,.card,li{break-inside:avoid}
    .charts{display:block}
    .tier{color:#000;border:1px solid #000;background:none!important}
    *{-webkit-print-color-adjust:exact;print-color-adjust:exact}
    }
    """
}
