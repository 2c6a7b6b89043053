// Validates CSAF 2.0 documents with the official validator library:
// the strict schema and every mandatory test (section 6.1 of the standard).
// Usage: node validate.mjs [--recommended] FILE [FILE ...]
// Prints one JSON line per file: {file, valid, errors: [{test, path, message}]}.
// Exit status 0 when every file is valid, 1 otherwise, 2 on bad usage.
import fs from 'node:fs'
import validateStrict from '@secvisogram/csaf-validator-lib/validateStrict.js'
import * as schemaTests from '@secvisogram/csaf-validator-lib/schemaTests.js'
import * as mandatoryTests from '@secvisogram/csaf-validator-lib/mandatoryTests.js'
import * as optionalTests from '@secvisogram/csaf-validator-lib/optionalTests.js'

const args = process.argv.slice(2)
const files = args.filter((argument) => !argument.startsWith('--'))
if (files.length === 0) {
  console.error('usage: node validate.mjs [--recommended] FILE [FILE ...]')
  process.exit(2)
}
const tests = [schemaTests.csaf_2_0_strict, ...Object.values(mandatoryTests)]
if (args.includes('--recommended')) tests.push(...Object.values(optionalTests))

let everyFileValid = true
for (const file of files) {
  const document = JSON.parse(fs.readFileSync(file, 'utf8'))
  const result = await validateStrict(tests, document)
  const errors = []
  const warnings = []
  for (const test of result.tests) {
    for (const error of test.errors) errors.push({ test: test.name, path: error.instancePath, message: error.message })
    for (const warning of test.warnings) warnings.push({ test: test.name, path: warning.instancePath, message: warning.message })
  }
  console.log(JSON.stringify({ file, valid: result.isValid, tests: result.tests.length, errors, warnings }))
  everyFileValid &&= result.isValid
}
process.exit(everyFileValid ? 0 : 1)
