/**
 * Mobile first (390 px wide), one column; wider screens only get more margin. Touch targets at
 * least 48 px high, text 18 px, every colour pair at least 4.5:1 (WCAG 2.1 AA), focus always
 * visible.
 */
export const MIJN_PLAN_CSS = `
*, *::before, *::after { box-sizing: border-box; }
[hidden] { display: none !important; }
html { font-size: 112.5%; }
body { margin: 0; overflow-wrap: break-word; font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; line-height: 1.5;
  color: #1b1b1b; background: #f5f6f8; }
.smal { max-width: 44rem; margin: 0 auto; padding: 0 1rem; }
.skip { position: absolute; left: .5rem; top: -4rem; background: #fff; color: #0b3d91; padding: .75rem 1rem;
  border: 3px solid #0b3d91; z-index: 10; font-weight: 700; }
.skip:focus { top: .5rem; }
:focus-visible { outline: 3px solid #b34700; outline-offset: 3px; }
main:focus, h2:focus { outline: none; }
main:focus-visible, h2:focus-visible { outline: 3px solid #b34700; }
.kop { background: #0b3d91; color: #fff; padding: 1rem 0; }
.kop h1 { margin: 0; font-size: 1.75rem; }
.kop p { margin: .25rem 0 0; }
main { padding-top: 1rem; padding-bottom: 2rem; }
section { background: #fff; border-radius: .5rem; padding: 1rem; margin: 0 0 1rem; border: 1px solid #d0d5dd; }
h2 { font-size: 1.35rem; margin: 0 0 .5rem; }
h3 { font-size: 1.1rem; margin: 1rem 0 .25rem; }
p { margin: .5rem 0; }
a { color: #0b3d91; }
.uitleg, .hint { color: #454d59; }
.inhoud-lijst { list-style: none; margin: 0 0 1rem; padding: 0; display: grid; gap: .25rem; }
.inhoud-lijst a { display: block; min-height: 48px; padding: .6rem .75rem; background: #fff;
  border: 1px solid #d0d5dd; border-radius: .5rem; }
.doel { border-top: 1px solid #d0d5dd; padding-top: .5rem; margin-top: .75rem; }
.doel:first-child { border-top: 0; margin-top: 0; }
.onderwerp { display: inline-block; font-size: .85rem; background: #e8eefb; color: #0b3d91; border-radius: 1rem;
  padding: 0 .6rem; margin: 0; }
.acties, .lijst { list-style: none; margin: .5rem 0; padding: 0; }
.acties li, .lijst li { border: 1px solid #d0d5dd; border-radius: .5rem; padding: .5rem .75rem; margin: 0 0 .5rem; }
.acties .wie { display: block; font-weight: 700; }
.acties .soort { font-weight: 400; color: #454d59; }
.klaar { color: #1e6b34; font-weight: 700; }
.open { color: #454d59; }
.contact { display: grid; gap: .5rem; margin: .75rem 0; }
.contact a, .knop { display: flex; align-items: center; justify-content: center; min-height: 48px; width: 100%;
  padding: .6rem 1rem; border-radius: .5rem; font: inherit; font-weight: 700; text-align: center;
  overflow-wrap: anywhere; }
.contact a { border: 2px solid #0b3d91; background: #fff; text-decoration: none; }
.knop { border: 2px solid #0b3d91; background: #0b3d91; color: #fff; cursor: pointer; }
.knop-licht { background: #fff; color: #0b3d91; }
.knop[disabled] { opacity: .7; cursor: wait; }
.resultaat:empty { display: none; }
.resultaat { background: #e7f4ea; border: 2px solid #1e6b34; border-radius: .5rem; padding: .75rem; margin: 0 0 1rem; }
.fout, .let-op { background: #fdecec; border: 2px solid #a61b1b; border-radius: .5rem; padding: .75rem; margin: 0 0 1rem; }
.jij-akkoord { background: #e7f4ea; border: 2px solid #1e6b34; border-radius: .5rem; padding: .75rem; font-weight: 700; }
.veld { margin: 0 0 1rem; }
.veld label { display: block; font-weight: 700; margin-bottom: .25rem; }
.veld-fout { color: #a61b1b; font-weight: 700; margin: .25rem 0; }
textarea, select { display: block; width: 100%; font: inherit; padding: .5rem; min-height: 48px;
  border: 2px solid #5b6472; border-radius: .5rem; background: #fff; color: #1b1b1b; }
textarea[aria-invalid="true"] { border-color: #a61b1b; }
.voet { padding: 0 0 2rem; }
.wanneer { display: block; font-weight: 700; }
@media (min-width: 48rem) {
  .smal { padding: 0 2rem; }
  .contact { grid-template-columns: 1fr 1fr; }
  .knop { width: auto; display: inline-flex; }
  .inhoud-lijst { grid-template-columns: 1fr 1fr; }
}
`;
