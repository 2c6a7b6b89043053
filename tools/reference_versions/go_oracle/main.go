// golang.org/x/mod/semver as an oracle: reads "a<TAB>b" lines, prints
// "<Compare(a, b)> <IsValid(a)> <IsValid(b)>" per line.
// Build offline from Debian's golang-golang-x-mod-dev:
//   GO111MODULE=off GOPATH=/usr/share/gocode go build -o gosemver .
package main

import (
	"bufio"
	"fmt"
	"os"
	"strings"

	"golang.org/x/mod/semver"
)

func main() {
	scanner := bufio.NewScanner(os.Stdin)
	writer := bufio.NewWriter(os.Stdout)
	defer writer.Flush()
	for scanner.Scan() {
		pair := strings.SplitN(scanner.Text(), "\t", 2)
		fmt.Fprintf(writer, "%d %t %t\n", semver.Compare(pair[0], pair[1]), semver.IsValid(pair[0]), semver.IsValid(pair[1]))
	}
}
