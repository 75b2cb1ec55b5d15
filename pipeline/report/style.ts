/** The report's only styling, inline: the file must open from file:// with nothing else beside it. */
export const CSS = `
:root { color-scheme: light; }
body { font: 14px/1.45 system-ui, sans-serif; color: #1d2330; margin: 0 auto; max-width: 1400px; padding: 16px 28px 48px; background: #f7f8fa; }
header h1 { font-size: 22px; margin: 8px 0 2px; }
header .meta { color: #555; margin: 0 0 8px; }
nav { font-size: 13px; margin-bottom: 8px; } nav a { margin-right: 12px; color: #2c5aa0; }
section { background: #fff; border: 1px solid #e2e5ea; border-radius: 6px; padding: 12px 18px 16px; margin: 14px 0; }
section > h2 { font-size: 17px; margin: 2px 0 10px; }
.row, .grid { display: flex; flex-wrap: wrap; gap: 12px 18px; align-items: flex-start; }
figure.plot { margin: 0; } figure.plot svg { display: block; max-width: 100%; height: auto; }
figcaption { font-size: 12px; color: #666; max-width: 760px; }
.note { color: #555; font-style: italic; } .error { color: #8a1f11; background: #fdf0ee; padding: 6px 10px; border-radius: 4px; }
.error pre { white-space: pre-wrap; font-size: 12px; }
.finding { border-left: 4px solid #e0a100; padding: 4px 12px; margin: 8px 0; background: #fffaf0; }
.finding.error { border-color: #c9302c; background: #fdf3f2; color: inherit; }
.finding h3 { font-size: 16px; margin: 4px 0; } .finding p { margin: 4px 0; } .where { color: #555; }
.badge { display: inline-block; font-size: 11px; text-transform: uppercase; letter-spacing: .04em; padding: 1px 6px; border-radius: 3px; color: #fff; vertical-align: 2px; }
.badge.warning { background: #d08c00; } .badge.error, .badge.fail { background: #c9302c; } .badge.pass { background: #3c8d4f; }
table { border-collapse: collapse; font-size: 12.5px; margin-top: 10px; }
th, td { border-bottom: 1px solid #eceef2; padding: 3px 9px; text-align: left; } th { background: #f2f4f7; }
tr.triggered td { background: #fff3e0; } tr.skipped td { color: #888; }
td.verdict.comparable { color: #3c8d4f; } td.verdict.dead, td.verdict.much-smaller, td.verdict.much-larger { color: #c9302c; font-weight: 600; }
.reference.structure-only strong { color: #a05a00; } .reference.pretrained strong { color: #3c8d4f; }
td.verdict.batch-norm-scale { color: #6b6b6b; }
.magnitude-verdict.in-range strong, .magnitude-verdict.smaller-by-design strong { color: #3c8d4f; } .magnitude-verdict.collapse strong, .magnitude-verdict.much-smaller-than-the-reference strong { color: #c9302c; }
code { font: 12px ui-monospace, monospace; background: #f2f4f7; padding: 0 3px; border-radius: 3px; }
`;
