// Copies what the pages need from node_modules into static/dist (git-ignored): the GOV.UK Frontend
// JavaScript module. The GOV.UK fonts and crown images are deliberately not copied: this portal is
// not a GOV.UK service.
import { cpSync, mkdirSync } from "node:fs";

const source = "node_modules/govuk-frontend/dist/govuk";
mkdirSync("static/dist/govuk", { recursive: true });
for (const file of ["govuk-frontend.min.js", "govuk-frontend.min.js.map"]) {
  cpSync(`${source}/${file}`, `static/dist/govuk/${file}`);
}
