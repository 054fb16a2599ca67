package io.postbackrelay.local;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What can be checked of {@code k8s/} without a cluster: every manifest parses and names
 * its kind; Deployments have probes, resource limits, pinned images and a locked-down
 * security context; selectors match the pods they mean; autoscalers point at real
 * Deployments; the PrometheusRule is exactly the promtool-tested alert rules.
 */
class KubernetesManifestsTests {

	private static final Path K8S = OpsFilesTests.ROOT.resolve("k8s");

	@Test
	void everyManifestParsesWithKindAndName() throws IOException {
		List<Map<String, Object>> documents = documents();

		assertThat(documents).hasSizeGreaterThan(15).allSatisfy((document) -> {
			assertThat(document).containsKey("apiVersion").containsKey("kind");
			if (!"Kustomization".equals(document.get("kind"))) {
				assertThat(map(document, "metadata")).containsKey("name");
			}
		});
	}

	@Test
	void deploymentsAreProbedLimitedPinnedAndLockedDown() throws IOException {
		List<Map<String, Object>> deployments = ofKind("Deployment");

		assertThat(deployments).hasSize(3).allSatisfy((deployment) -> {
			Map<String, Object> template = map(map(deployment, "spec"), "template");
			Map<String, Object> pod = map(template, "spec");
			assertThat(map(pod, "securityContext")).containsEntry("runAsNonRoot", true);
			assertThat(map(map(deployment, "spec"), "selector").get("matchLabels")).isEqualTo(labelsOf(template));
			for (Map<String, Object> container : list(pod, "containers")) {
				assertThat(container).containsKeys("livenessProbe", "readinessProbe");
				assertThat(map(map(container, "resources"), "limits")).containsKeys("cpu", "memory");
				String image = (String) container.get("image");
				assertThat(image).contains(":").doesNotEndWith(":latest");
				assertThat(map(container, "securityContext")).containsEntry("readOnlyRootFilesystem", true)
					.containsEntry("allowPrivilegeEscalation", false);
			}
		});
	}

	@Test
	void selectorsAndScaleTargetsMatchTheDeployments() throws IOException {
		List<Map<String, Object>> deployments = ofKind("Deployment");
		List<Object> podLabels = deployments.stream()
			.map((deployment) -> (Object) labelsOf(map(map(deployment, "spec"), "template")))
			.toList();
		List<String> names = deployments.stream().map((d) -> (String) map(d, "metadata").get("name")).toList();

		assertThat(ofKind("Service")).hasSize(3)
			.allSatisfy((service) -> assertThat(podLabels).contains(map(service, "spec").get("selector")));
		assertThat(ofKind("PodDisruptionBudget")).hasSize(3)
			.allSatisfy((pdb) -> assertThat(podLabels).contains(map(map(pdb, "spec"), "selector").get("matchLabels")));
		assertThat(ofKind("HorizontalPodAutoscaler")).allSatisfy(
				(hpa) -> assertThat(names).contains((String) map(map(hpa, "spec"), "scaleTargetRef").get("name")));
		assertThat(ofKind("ScaledObject")).allSatisfy(
				(keda) -> assertThat(names).contains((String) map(map(keda, "spec"), "scaleTargetRef").get("name")));
	}

	@Test
	void prometheusRuleIsTheTestedAlertRules() throws IOException {
		Map<String, Object> rule = ofKind("PrometheusRule").get(0);
		try (Reader alerts = Files.newBufferedReader(OpsFilesTests.ROOT.resolve("ops/prometheus/alerts.yml"))) {
			assertThat(rule.get("spec")).isEqualTo(new Yaml().load(alerts));
		}
	}

	@Test
	void kafkaTopicsStatePartitionsAndRetention() throws IOException {
		assertThat(ofKind("KafkaTopic")).extracting((topic) -> map(topic, "metadata").get("name"))
			.contains("postbacks", "deliveries", "deliveries-dlt", "postbacks-dlt");
		assertThat(ofKind("KafkaTopic")).allSatisfy((topic) -> {
			assertThat(map(topic, "spec")).containsKeys("partitions", "replicas");
			assertThat(map(map(topic, "spec"), "config")).containsKey("retention.ms");
		});
		assertThat(ofKind("MongoDBCommunity")).singleElement()
			.satisfies((mongo) -> assertThat(map(mongo, "spec")).containsEntry("type", "ReplicaSet"));
	}

	private static List<Map<String, Object>> ofKind(String kind) throws IOException {
		return documents().stream().filter((document) -> kind.equals(document.get("kind"))).toList();
	}

	@SuppressWarnings("unchecked")
	private static List<Map<String, Object>> documents() throws IOException {
		List<Map<String, Object>> documents = new ArrayList<>();
		try (Stream<Path> files = Files.walk(K8S)) {
			for (Path file : files.filter((f) -> f.toString().endsWith(".yaml")).sorted().toList()) {
				try (Reader reader = Files.newBufferedReader(file)) {
					for (Object document : new Yaml().loadAll(reader)) {
						if (document != null) {
							documents.add((Map<String, Object>) document);
						}
					}
				}
			}
		}
		return documents;
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> map(Map<String, Object> parent, String key) {
		Object value = parent.get(key);
		assertThat(value).as(key).isInstanceOf(Map.class);
		return (Map<String, Object>) value;
	}

	@SuppressWarnings("unchecked")
	private static List<Map<String, Object>> list(Map<String, Object> parent, String key) {
		return (List<Map<String, Object>>) parent.get(key);
	}

	private static Object labelsOf(Map<String, Object> template) {
		return map(template, "metadata").get("labels");
	}

}
