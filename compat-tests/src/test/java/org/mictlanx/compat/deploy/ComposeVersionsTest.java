package org.mictlanx.compat.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * deploy/compose.yaml works with Compose v2 and the older docker-compose 1.28/1.29: only top-level keys
 * both accept (1.x refuses {@code name:}), and the project name from deploy/.env, which both read from the
 * compose file's directory, so volumes keep their {@code mictlanx_} names whichever Compose runs it.
 */
class ComposeVersionsTest {

    private final Path root = RepoFiles.root();

    @Test
    void onlyTopLevelKeysThatDockerCompose129AcceptsAndTheProjectNameFromDotEnv() throws Exception {
        JsonNode compose = Manifests.documents(root.resolve("deploy/compose.yaml")).get(0);
        Set<String> keys = new TreeSet<>();
        compose.fieldNames().forEachRemaining(keys::add);
        Set<String> accepted = Set.of("version", "services", "networks", "volumes", "secrets", "configs");
        assertTrue(accepted.containsAll(keys), "top-level keys docker-compose 1.29 refuses: " + keys);
        String env = Files.readString(root.resolve("deploy/.env"));
        assertEquals("mictlanx", env.lines().filter(l -> l.startsWith("COMPOSE_PROJECT_NAME=")).findFirst()
                .map(l -> l.substring(l.indexOf('=') + 1).strip()).orElse(""));
    }
}
