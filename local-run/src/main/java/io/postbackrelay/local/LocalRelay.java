package io.postbackrelay.local;

import java.io.PrintStream;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;

/**
 * The one-command local stack: a Kafka broker process, MongoDB (the given URI, or an
 * embedded MongoDB-protocol server storing on disk), ingest-service, dispatcher-service
 * and admin-api as processes of their own, demo data and a demo partner. Ctrl-C stops it
 * all; a second start reuses the data folder.
 */
public final class LocalRelay implements AutoCloseable {

	private final LocalSettings settings;

	private final PrintStream out;

	private final List<ChildProcess> processes = new ArrayList<>();

	private MongoServer mongo;

	private DemoPartner partner;

	private DemoSeed.Credentials credentials;

	/**
	 * A local stack, not yet started.
	 * @param settings where and on which ports
	 * @param out where to print
	 */
	public LocalRelay(LocalSettings settings, PrintStream out) {
		this.settings = settings;
		this.out = out;
	}

	public static void main(String[] args) throws Exception {
		// the embedded store warns about every index it only pretends to create
		((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger("de.bwaldvogel"))
			.setLevel(ch.qos.logback.classic.Level.ERROR);
		LocalRelay relay = new LocalRelay(LocalSettings.fromEnvironment(System.getenv()), System.out);
		Runtime.getRuntime().addShutdownHook(new Thread(relay::close, "relay-local-stop"));
		relay.start();
		relay.printNextSteps();
		Thread.currentThread().join();
	}

	/**
	 * Starts everything and waits until the services are ready.
	 * @return this stack
	 * @throws Exception if a part does not start
	 */
	public LocalRelay start() throws Exception {
		Files.createDirectories(this.settings.dataDir());
		this.out.println("Postback Relay local run, data in " + this.settings.dataDir());
		startMongo();
		this.out.println("Starting Kafka broker on " + this.settings.kafkaBootstrap() + " ...");
		this.processes.add(KafkaBroker.start(this.settings));
		this.partner = new DemoPartner(this.settings.demoPartnerPort(), this.out);
		this.credentials = DemoSeed.ensure(this.settings, this.partner);
		startServices();
		return this;
	}

	private void startMongo() {
		if (this.settings.mongoUri() != null && !this.settings.mongoUri().isBlank()) {
			this.out.println("MongoDB: " + this.settings.mongoUri() + " (from RELAY_MONGODB_URI)");
			return;
		}
		if (this.settings.storeInMemory()) {
			this.mongo = new MongoServer(new MemoryBackend());
			this.mongo.bind("127.0.0.1", this.settings.mongoPort());
			this.out.println("MongoDB: embedded mongo-java-server (in memory, lost at stop) on port "
					+ this.settings.mongoPort());
			return;
		}
		String file = this.settings.dataDir().resolve("mongo.mv").toString();
		this.mongo = new MongoServer(new H2Backend(file));
		this.mongo.bind("127.0.0.1", this.settings.mongoPort());
		this.out.println(
				"MongoDB: embedded mongo-java-server (H2 on disk, " + file + ") on port " + this.settings.mongoPort());
	}

	private void startServices() throws Exception {
		String[] common = commonArgs();
		ChildProcess ingest = service("ingest-service", "io.postbackrelay.ingest.IngestApplication", Map.of(),
				this.settings.ingestPort(), common);
		ChildProcess dispatcher = dispatcher();
		ChildProcess admin = service("admin-api", "io.postbackrelay.admin.AdminApiApplication",
				Map.of("RELAY_ADMIN_TOKENS_0_NAME", "local", "RELAY_ADMIN_TOKENS_0_ROLE", "operator",
						"RELAY_ADMIN_TOKENS_0_TOKEN", this.credentials.adminToken()),
				this.settings.adminPort(), common);
		this.out.println("Starting ingest-service, dispatcher-service and admin-api ...");
		ingest.awaitReady(this.settings.ingestPort(), 180);
		dispatcher.awaitReady(this.settings.dispatcherPort(), 180);
		admin.awaitReady(this.settings.adminPort(), 180);
	}

	private ChildProcess dispatcher() throws Exception {
		return service("dispatcher-service", "io.postbackrelay.dispatcher.DispatcherApplication", Map.of(),
				this.settings.dispatcherPort(),
				append(append(commonArgs(), "--relay.dispatcher.delivery.allow-private-targets=true",
						"--relay.dispatcher.partner-refresh=2s"),
						this.settings.dispatcherArgs().toArray(String[]::new)));
	}

	private String[] commonArgs() {
		return new String[] { "--spring.kafka.bootstrap-servers=" + this.settings.kafkaBootstrap(),
				"--spring.mongodb.uri=" + this.settings.effectiveMongoUri(),
				"--spring.mongodb.database=" + this.settings.database() };
	}

	/**
	 * Kills the dispatcher at once (SIGKILL: no shutdown, nothing flushed), as a crash
	 * would, then starts a new one and waits until it is ready.
	 * @throws Exception if the new one does not start
	 */
	public synchronized void crashAndRestartDispatcher() throws Exception {
		ChildProcess crashed = this.processes.stream()
			.filter((process) -> process.name().equals("dispatcher-service"))
			.findFirst()
			.orElseThrow(() -> new IllegalStateException("No dispatcher running"));
		int index = this.processes.indexOf(crashed);
		crashed.kill();
		this.processes.remove(crashed);
		ChildProcess restarted = dispatcher();
		// keep the start order that servicePids() reports
		this.processes.remove(restarted);
		this.processes.add(index, restarted);
		restarted.awaitReady(this.settings.dispatcherPort(), 180);
	}

	private ChildProcess service(String name, String mainClass, Map<String, String> environment, int port,
			String[] args) throws Exception {
		ChildProcess process = ChildProcess.start(name, this.settings.dataDir().resolve(name + ".log"),
				List.of("-Xmx384m", "-XX:+UseSerialGC"), environment, mainClass, append(args, "--server.port=" + port));
		this.processes.add(process);
		return process;
	}

	private static String[] append(String[] args, String... more) {
		List<String> all = new ArrayList<>(List.of(args));
		all.addAll(List.of(more));
		return all.toArray(String[]::new);
	}

	/**
	 * The operating-system process id of the Kafka broker.
	 * @return its pid
	 */
	public long brokerPid() {
		return this.processes.get(0).pid();
	}

	/**
	 * The operating-system process ids of the three services.
	 * @return pids in start order: ingest, dispatcher, admin
	 */
	public List<Long> servicePids() {
		return this.processes.subList(1, this.processes.size()).stream().map(ChildProcess::pid).toList();
	}

	/**
	 * The demo source's key.
	 * @return the key
	 */
	public String sourceKey() {
		return this.credentials.sourceKey();
	}

	DemoSeed.Credentials credentials() {
		return this.credentials;
	}

	DemoPartner partner() {
		return this.partner;
	}

	void printNextSteps() {
		String ingest = "http://localhost:" + this.settings.ingestPort();
		String admin = "http://localhost:" + this.settings.adminPort();
		this.out.println();
		this.out.println("Postback Relay is running. Send a postback:");
		this.out.println("  curl \"" + ingest + "/postback/" + this.credentials.sourceKey()
				+ "?click_id=abc123&status=approved&payout=12.50&offer_id=7\"");
		this.out.println("Both demo partners print what they receive here. Admin console:");
		this.out.println("  " + admin + "/admin/   (token: " + this.credentials.adminToken() + ")");
		this.out.println("Metrics:");
		for (int port : new int[] { this.settings.ingestPort(), this.settings.dispatcherPort(),
				this.settings.adminPort() }) {
			this.out.println("  http://localhost:" + port + "/actuator/prometheus");
		}
		this.out.println("Service logs are in " + this.settings.dataDir() + ". Ctrl-C stops everything.");
	}

	@Override
	public synchronized void close() {
		// services first, so they stop cleanly while Kafka and MongoDB still answer
		for (int i = this.processes.size() - 1; i >= 0; i--) {
			this.processes.get(i).stop();
		}
		this.processes.clear();
		if (this.partner != null) {
			this.partner.close();
			this.partner = null;
		}
		if (this.mongo != null) {
			this.mongo.shutdown();
			this.mongo = null;
		}
	}

}
