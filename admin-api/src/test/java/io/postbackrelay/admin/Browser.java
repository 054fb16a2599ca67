package io.postbackrelay.admin;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;

import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Headless Chromium from the operating system's packages ({@code chromium} and
 * {@code chromium-driver}, found on the PATH), driven by Selenium. Nothing is downloaded.
 */
final class Browser {

	private Browser() {
	}

	static ChromeDriver start() {
		Path browser = onPath("chromium", "chromium-browser", "google-chrome");
		Path driver = onPath("chromedriver");
		ChromeOptions options = new ChromeOptions();
		options.setBinary(browser.toFile());
		options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
				"--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
				"--window-size=1400,1000");
		ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(driver.toFile())
			.usingAnyFreePort()
			.build();
		ChromeDriver chrome = new ChromeDriver(service, options);
		chrome.manage().timeouts().implicitlyWait(Duration.ZERO);
		return chrome;
	}

	private static Path onPath(String... names) {
		for (String directory : System.getenv("PATH").split(File.pathSeparator)) {
			for (String name : names) {
				Path candidate = Path.of(directory, name);
				if (Files.isExecutable(candidate)) {
					return candidate;
				}
			}
		}
		throw new IllegalStateException("None of " + Arrays.toString(names)
				+ " is on the PATH; install Debian's chromium and chromium-driver (.ci/run does)");
	}

}
