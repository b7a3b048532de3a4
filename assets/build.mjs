// Compiles GOV.UK Frontend with the partnership's settings and copies the
// browser assets into the Django static folder (served by WhiteNoise; no CDN).
import { cpSync, mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import * as sass from "sass";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const out = join(root, "src", "safeguarding", "static", "vendor");
const govuk = join(root, "node_modules", "govuk-frontend", "dist", "govuk");

mkdirSync(join(out, "govuk"), { recursive: true });
const result = sass.compile(join(root, "assets", "application.scss"), {
  style: "compressed",
  importers: [new sass.NodePackageImporter()],
  quietDeps: true,
  silenceDeprecations: ["import"],
});
writeFileSync(join(out, "application.css"), result.css);
cpSync(join(govuk, "govuk-frontend.min.js"), join(out, "govuk", "govuk-frontend.min.js"));
cpSync(join(govuk, "assets", "images"), join(out, "govuk", "assets", "images"), { recursive: true });
cpSync(join(govuk, "assets", "manifest.json"), join(out, "govuk", "assets", "manifest.json"));
cpSync(join(root, "node_modules", "axe-core", "axe.min.js"), join(root, "var", "axe.min.js"));
console.log(`assets built into ${out}`);
