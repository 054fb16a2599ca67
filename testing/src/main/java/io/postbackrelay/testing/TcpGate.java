package io.postbackrelay.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A port that refuses connections until opened, then forwards them to a target: lets a
 * test make a real server unreachable for a client that only knows this port, and then
 * reachable. Kafka clients only bootstrap through it; they then talk to the broker's
 * advertised address, so a closed gate means "never reached", not "went away".
 */
public final class TcpGate implements AutoCloseable {

	private final int port;

	private final InetSocketAddress target;

	private final List<Socket> sockets = new CopyOnWriteArrayList<>();

	private ServerSocket server;

	/**
	 * A closed gate on a free port.
	 * @param targetHost where to forward to
	 * @param targetPort the port to forward to
	 */
	public TcpGate(String targetHost, int targetPort) {
		this.port = RelayInfrastructure.freePort();
		this.target = new InetSocketAddress(targetHost, targetPort);
	}

	/**
	 * The gate's port.
	 * @return the port clients should use
	 */
	public int port() {
		return this.port;
	}

	/**
	 * Starts accepting and forwarding connections, unless it already does.
	 */
	public synchronized void open() {
		if (this.server != null && !this.server.isClosed()) {
			return;
		}
		try {
			this.server = new ServerSocket();
			this.server.setReuseAddress(true);
			this.server.bind(new InetSocketAddress("127.0.0.1", this.port));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		Thread acceptor = new Thread(this::accept, "tcp-gate-" + this.port);
		acceptor.setDaemon(true);
		acceptor.start();
	}

	private void accept() {
		while (!this.server.isClosed()) {
			try {
				Socket client = this.server.accept();
				Socket upstream = new Socket(this.target.getHostString(), this.target.getPort());
				this.sockets.add(client);
				this.sockets.add(upstream);
				pipe(client, upstream);
				pipe(upstream, client);
			}
			catch (IOException ex) {
				// closed, or the target refused: the client sees its connection drop
			}
		}
	}

	private void pipe(Socket from, Socket to) {
		Thread thread = new Thread(() -> {
			try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
				in.transferTo(out);
			}
			catch (IOException ex) {
				// one side closed
			}
			closeQuietly(to);
		}, "tcp-gate-pipe");
		thread.setDaemon(true);
		thread.start();
	}

	@Override
	public synchronized void close() {
		if (this.server != null) {
			closeQuietly(this.server);
		}
		this.sockets.forEach(TcpGate::closeQuietly);
	}

	private static void closeQuietly(AutoCloseable closeable) {
		try {
			closeable.close();
		}
		catch (Exception ex) {
			// already closed
		}
	}

}
