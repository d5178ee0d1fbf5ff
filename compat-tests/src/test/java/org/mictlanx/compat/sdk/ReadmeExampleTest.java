package org.mictlanx.compat.sdk;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.mictlanx.compat.AllInOne;
import org.mictlanx.sdk.ListEntry;
import org.mictlanx.sdk.MictlanX;
import org.mictlanx.sdk.PutOptions;

/**
 * The README's "Native Java SDK" example, verbatim in {@link #example} (so it keeps compiling), run
 * against a real all-in-one; the test also checks that the README still contains exactly this code.
 */
class ReadmeExampleTest {

    static void example(String connection) throws Exception {
        try (MictlanX mx = MictlanX.connect(connection)) {
            mx.createBucket("sdk-photos");                                    // not the CLI example's "photos"
            mx.put("sdk-photos", "cat.jpg", Path.of("cat.jpg"), PutOptions.DEFAULT.withContentType("image/jpeg")
                    .withProgress((done, total) -> System.out.printf("%d/%d bytes%n", done, total)));
            try (InputStream in = mx.openStream("sdk-photos", "cat.jpg")) {  // parallel, in order, verified
                Files.copy(in, Path.of("cat-copy.jpg"), StandardCopyOption.REPLACE_EXISTING);
            }
            for (ListEntry e : mx.list("sdk-photos", "", "/")) System.out.println(e.key() + " " + e.size());
        }
    }

    @Test
    void readmeExampleIsThisCodeAndRuns() throws Exception {
        String readme = Files.readString(Path.of("..", "README.md"));
        Matcher m = Pattern.compile("## Native Java SDK.*?```java\\n(.*?)```", Pattern.DOTALL).matcher(readme);
        assertTrue(m.find(), "README has the Native Java SDK example");
        String source = Files.readString(Path.of("src/test/java/org/mictlanx/compat/sdk/ReadmeExampleTest.java"));
        for (String line : m.group(1).split("\n")) {
            String code = line.strip().replace("\"mictlanx://ACCESS:SECRET@localhost:9000,localhost:9001/?secure=false\"",
                    "connection");
            assertTrue(source.contains(code), "README line not in the compiled example: " + line);
        }
        // The example uses relative paths: its two files live in the module directory for this run only.
        byte[] cat = new byte[7 << 20];
        new java.util.Random(1).nextBytes(cat);
        Path cwd = Path.of("").toAbsolutePath();
        Files.write(cwd.resolve("cat.jpg"), cat);
        try (AllInOne store = AllInOne.start()) {
            example("mictlanx://" + AllInOne.ACCESS_KEY + ":" + URLEncoder.encode(AllInOne.SECRET_KEY, StandardCharsets.UTF_8)
                    + "@127.0.0.1:" + store.port() + "/?secure=false");
            assertArrayEquals(cat, Files.readAllBytes(cwd.resolve("cat-copy.jpg")));
            try (MictlanX mx = MictlanX.builder().router(store.endpoint())
                    .credentials(AllInOne.ACCESS_KEY, AllInOne.SECRET_KEY).build()) {
                assertEquals("image/jpeg", mx.head("sdk-photos", "cat.jpg").contentType());
                assertEquals(List.of("cat.jpg"), java.util.stream.StreamSupport
                        .stream(mx.list("sdk-photos", null, null).spliterator(), false).map(ListEntry::key).toList());
            }
        } finally {
            Files.deleteIfExists(cwd.resolve("cat.jpg"));
            Files.deleteIfExists(cwd.resolve("cat-copy.jpg"));
        }
    }
}
