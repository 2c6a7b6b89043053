// Maven ComparableVersion as an oracle: reads "a<TAB>b" lines, prints the signum of a.compareTo(b).
// Run: java -cp /usr/share/maven/lib/maven-artifact-3.x.jar MavenCompare.java < pairs.tsv
import java.io.BufferedReader;
import java.io.InputStreamReader;
import org.apache.maven.artifact.versioning.ComparableVersion;

public class MavenCompare {
    public static void main(String[] arguments) throws Exception {
        BufferedReader reader = new BufferedReader(new InputStreamReader(System.in, "UTF-8"));
        StringBuilder output = new StringBuilder();
        String line;
        while ((line = reader.readLine()) != null) {
            String[] pair = line.split("\t", 2);
            int result = new ComparableVersion(pair[0]).compareTo(new ComparableVersion(pair[1]));
            output.append(Integer.signum(result)).append('\n');
        }
        System.out.print(output);
    }
}
