// Build-time helper of `neurograph page`: Pyodide's own Python, run in Node, compiles the
// modules the page imports, so that the browser need not compile them on a first visit.
//
//   node compile.mjs JOB.json
//
// JOB.json: {"runtime": folder of the runtime's files, "bundle": neurograph's zip,
// "model": what Session takes, "modelFile": {"name", "text"} or null, "lock": the lock
// file, "out": folder}.  Writes OUT/python_stdlib.zip and OUT/neurograph.zip: the same
// zips with .pyc files beside the modules (neurograph.page.bundle.with_bytecode).  The
// paths inside the runtime are those of the page's worker (worker.js), so the compiled
// files are the ones the page would make itself.
import fs from "node:fs";
import path from "node:path";
import {pathToFileURL} from "node:url";

const job = JSON.parse(fs.readFileSync(process.argv[2], "utf8"));
const {loadPyodide} = await import(pathToFileURL(path.join(job.runtime, "pyodide.mjs")).href);
const py = await loadPyodide({indexURL: job.runtime + path.sep, lockFileContents: job.lock,
                              stdout: () => {}, stderr: (s) => process.stderr.write(s + "\n")});
py.FS.mkdirTree("/neurograph");
py.FS.writeFile("/neurograph/neurograph.zip", fs.readFileSync(job.bundle));
let model = job.model;
if (job.modelFile) {
  py.FS.mkdirTree("/models");
  model = "/models/" + job.modelFile.name;
  py.FS.writeFile(model, job.modelFile.text);
}
py.globals.set("_ng_model", model);
py.runPython(`
import json, sys
sys.path.insert(0, "/neurograph/neurograph.zip")
from neurograph.page.session import Session
from neurograph.page.bundle import with_bytecode
session = Session(_ng_model)
first = json.loads(session.answer("state"))["answer"]["connections"][0]["name"]
for action, body in [("backward", ""), ("explain", json.dumps({"name": first})), ("step", ""),
                     ("walk", '{"phase": "forward"}'), ("train", '{"epochs": 1}'),
                     ("model", ""), ("reset", "")]:
    session.answer(action, body)
with open("/stdlib.zip", "wb") as f:
    f.write(with_bytecode("/lib/python%d%d.zip" % sys.version_info[:2]))
with open("/neurograph.zip", "wb") as f:
    f.write(with_bytecode("/neurograph/neurograph.zip"))
`);
fs.writeFileSync(path.join(job.out, "python_stdlib.zip"), py.FS.readFile("/stdlib.zip"));
fs.writeFileSync(path.join(job.out, "neurograph.zip"), py.FS.readFile("/neurograph.zip"));
