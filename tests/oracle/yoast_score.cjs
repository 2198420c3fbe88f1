#!/usr/bin/env node
/*
 * The oracle: scores a JSON corpus with yoastseo's own English analysis (the npm dev dependency,
 * pinned in package.json) and prints, per piece, every assessment's score and the overall SEO and
 * readability scores. Used by tests/oracle/test_yoast_agreement.py; nothing is cached.
 *
 *   node tests/oracle/yoast_score.cjs tests/oracle/corpus.json > scores.json
 *
 * Each piece: {id, html, keyphrase, title (SEO title), title_width (px), description, slug,
 * permalink, cornerstone}. Cornerstone pieces use Yoast's cornerstone post assessors.
 */
"use strict";
const fs = require("fs");
const path = require("path");

// The package lives in the repository's node_modules, two levels up from this file.
const root = path.resolve(__dirname, "..", "..");
const yoastRoot = path.join(root, "node_modules", "yoastseo", "build");
const { Paper } = require(yoastRoot);
const assessors = require(path.join(yoastRoot, "scoring", "assessors"));
const EnglishResearcher = require(path.join(yoastRoot, "languageProcessing", "languages", "en", "Researcher.js")).default;

// Speed only: Yoast re-applies ~1,400 transliteration regexes to the same strings over and over. The
// function is pure, so remembering its answers within this one run changes no result.
const transliteration = require(path.join(yoastRoot, "languageProcessing", "helpers", "transliterate", "transliterateWPstyle.js"));
const transliterate = transliteration.default;
const remembered = new Map();
transliteration.default = (text, locale) => {
  const key = `${locale}\u0000${text}`;
  if (!remembered.has(key)) remembered.set(key, transliterate(text, locale));
  return remembered.get(key);
};

function score(piece) {
  const paper = new Paper(piece.html, {
    keyword: piece.keyphrase || "",
    title: piece.title || "",
    titleWidth: piece.title_width || 0,
    description: piece.description || "",
    slug: piece.slug || "",
    permalink: piece.permalink || "",
    locale: "en_US",
  });
  const seo = piece.cornerstone
    ? new assessors.CornerstoneSEOAssessor(new EnglishResearcher(paper))
    : new assessors.SEOAssessor(new EnglishResearcher(paper));
  const content = piece.cornerstone
    ? new assessors.CornerstoneContentAssessor(new EnglishResearcher(paper))
    : new assessors.ContentAssessor(new EnglishResearcher(paper));
  seo.assess(paper);
  content.assess(paper);
  const checks = {};
  for (const assessor of [seo, content]) {
    for (const result of assessor.getValidResults()) {
      checks[result.getIdentifier()] = result.getScore();
    }
  }
  return {
    id: piece.id,
    checks,
    seo_score: seo.calculateOverallScore(),
    readability_score: content.calculateOverallScore(),
  };
}

// The pieces are independent: score them in a few worker threads, then print them in corpus order.
const { Worker, isMainThread, parentPort, workerData } = require("worker_threads");
const os = require("os");

if (isMainThread) {
  const corpus = JSON.parse(fs.readFileSync(process.argv[2], "utf8"));
  const threads = Math.max(1, Math.min(4, (os.availableParallelism ? os.availableParallelism() : os.cpus().length)));
  const chunks = Array.from({ length: threads }, (_, k) => corpus.filter((_, i) => i % threads === k));
  Promise.all(
    chunks.map(
      (chunk) =>
        new Promise((resolve, reject) => {
          const worker = new Worker(__filename, { workerData: chunk });
          worker.once("message", resolve);
          worker.once("error", reject);
        })
    )
  ).then((parts) => {
    const byId = new Map(parts.flat().map((r) => [r.id, r]));
    process.stdout.write(JSON.stringify(corpus.map((piece) => byId.get(piece.id))));
  }, (error) => {
    process.stderr.write(String(error && error.stack || error) + "\n");
    process.exit(1);
  });
} else {
  parentPort.postMessage(workerData.map(score));
}
