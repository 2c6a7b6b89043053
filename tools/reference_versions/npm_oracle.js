// node-semver as an oracle: reads {"pairs": [[a, b]...], "ranges": [[range, version]...]}
// on stdin, prints {"pairs": [cmp...], "ranges": [[includePrerelease, default]...]}.
// Run with NODE_PATH pointing at a folder where `npm install semver` was done.
const semver = require("semver");
const input = JSON.parse(require("fs").readFileSync(0, "utf8"));
const pairs = input.pairs.map(([a, b]) => semver.compare(a, b));
const valid = input.valid.map((v) => semver.valid(v) !== null);
const ranges = input.ranges.map(([range, version]) => {
  try {
    return [
      semver.satisfies(version, range, { includePrerelease: true }),
      semver.satisfies(version, range),
    ];
  } catch (error) {
    return null;
  }
});
process.stdout.write(JSON.stringify({ pairs, valid, ranges, version: require("semver/package.json").version }));
