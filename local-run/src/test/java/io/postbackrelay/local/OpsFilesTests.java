package io.postbackrelay.local;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The files SREs deploy are checked by the tools that read them: Prometheus's
 * {@code promtool} (config, rules and the rules' unit tests) and {@code docker-compose
 * config}. Debian's {@code prometheus} and {@code docker-compose} packages provide them;
 * {@code .ci/run} installs them when missing.
 */
class OpsFilesTests {

	static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

	@Test
	void prometheusConfigAndAlertRulesAreValidAndTheirUnitTestsPass() throws Exception {
		Path prometheus = ROOT.resolve("ops/prometheus");
		assertThat(run(prometheus, Map.of(), "promtool", "check", "config", "prometheus.yml")).contains("SUCCESS");
		assertThat(run(prometheus, Map.of(), "promtool", "check", "rules", "alerts.yml")).contains("SUCCESS: 6 rules");
		assertThat(run(prometheus, Map.of(), "promtool", "test", "rules", "alerts.test.yml")).contains("SUCCESS");
	}

	@Test
	void composeFileIsValid() throws Exception {
		run(ROOT, Map.of("RELAY_ADMIN_TOKEN", "check-only"), "docker-compose", "config", "-q");
	}

	@Test
	void dashboardIsGrafanaJsonWithAQueryOnEveryPanel() throws IOException {
		JsonNode dashboard = JsonMapper.builder()
			.build()
			.readTree(ROOT.resolve("ops/grafana/dashboards/relay.json").toFile());
		assertThat(dashboard.get("uid").asString()).isEqualTo("postback-relay");
		assertThat(dashboard.get("panels")).isNotEmpty()
			.allSatisfy((panel) -> assertThat(panel.get("targets").get(0).get("expr").asString()).isNotBlank());
	}

	static String run(Path directory, Map<String, String> environment, String... command)
			throws IOException, InterruptedException {
		assertThat(onPath(command[0])).as(command[0] + " on the PATH (.ci/run installs it)").isTrue();
		ProcessBuilder builder = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true);
		builder.environment().putAll(environment);
		Process process = builder.start();
		String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
		assertThat(process.exitValue()).as(String.join(" ", command) + ":\n" + output).isZero();
		return output;
	}

	private static boolean onPath(String name) {
		return List.of(System.getenv("PATH").split(File.pathSeparator))
			.stream()
			.anyMatch((directory) -> Files.isExecutable(Path.of(directory, name)));
	}

}
