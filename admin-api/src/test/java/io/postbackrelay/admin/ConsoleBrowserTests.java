package io.postbackrelay.admin;

import java.time.Duration;

import io.postbackrelay.common.CollectionNames;
import io.postbackrelay.common.DeliveryIds;
import io.postbackrelay.dispatcher.DispatcherApplication;
import io.postbackrelay.ingest.IngestApplication;
import io.postbackrelay.testing.RelayStack;
import io.postbackrelay.testing.TestPartner;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.UseMainMethod;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The admin console in a real headless Chromium: sign in, find a postback that an earlier
 * request created and where it was forwarded, replay a dead letter and see its status
 * change.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, useMainMethod = UseMainMethod.ALWAYS,
		properties = { "relay.admin.tokens[0].name=ops", "relay.admin.tokens[0].role=operator",
				"relay.admin.tokens[0].token=" + AdminClient.OPERATOR })
@DirtiesContext
class ConsoleBrowserTests {

	static final RelayStack stack = new RelayStack().startIngest(IngestApplication.application());

	static {
		stack.start(DispatcherApplication.application());
	}

	@DynamicPropertySource
	static void stackProperties(DynamicPropertyRegistry registry) {
		stack.properties().forEach((name, value) -> registry.add(name, () -> value));
	}

	@AfterAll
	static void stopStack() {
		stack.close();
	}

	@LocalServerPort
	int port;

	@Test
	void adminSignsInFindsAForwardedPostbackAndReplaysADeadLetter() {
		try (TestPartner accepting = new TestPartner(); TestPartner rejecting = new TestPartner().answering(400)) {
			stack.createPartner("accepting", accepting.url("/ok"), "GET", null, null);
			String rejectingId = stack.createPartner("rejecting", rejecting.url("/no"), "GET", null, null);
			await().pollDelay(Duration.ofMillis(500)).until(() -> true);
			String key = stack.createSource("browser");
			String postbackId = stack.send(key, "click_id=seen-in-browser&status=approved");
			String deadLetterId = DeliveryIds.of(postbackId, rejectingId);
			await().atMost(Duration.ofSeconds(30))
				.until(() -> accepting.received().size() == 1
						&& stack.find(CollectionNames.DEAD_LETTERS, deadLetterId) != null);

			WebDriver browser = Browser.start();
			try {
				WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(15));
				browser.get("http://127.0.0.1:" + this.port + "/admin/");

				signIn(browser, "not-a-token");
				WebElement error = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("error")));
				assertThat(error.getText()).contains("401");

				signIn(browser, AdminClient.OPERATOR);
				WebElement received = wait.until(ExpectedConditions
					.visibilityOfElementLocated(By.cssSelector("#received-rows tr[data-id='" + postbackId + "']")));
				assertThat(received.getText()).contains("seen-in-browser").contains("approved").contains("browser");

				received.click();
				WebElement timeline = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("timeline")));
				wait.until(ExpectedConditions.textToBePresentInElement(timeline, "accepting: DELIVERED"));
				assertThat(timeline.getText()).contains("rejecting: DEAD_LETTERED (dead letter OPEN)");

				browser.findElement(By.cssSelector(".tab[data-tab='forwarded']")).click();
				WebElement forwarded = wait.until(ExpectedConditions.visibilityOfElementLocated(
						By.cssSelector("#forwarded-rows tr[data-postback-id='" + postbackId + "']")));
				assertThat(browser.findElement(By.id("forwarded-rows")).getText()).contains("accepting")
					.contains("DELIVERED")
					.contains("rejecting")
					.contains("DEAD_LETTERED");
				assertThat(forwarded.isDisplayed()).isTrue();

				rejecting.answering(200);
				browser.findElement(By.cssSelector(".tab[data-tab='dead-letters']")).click();
				WebElement letter = wait.until(ExpectedConditions.visibilityOfElementLocated(
						By.cssSelector("#dead-letters-rows tr[data-id='" + deadLetterId + "']")));
				assertThat(letter.findElement(By.className("status")).getText()).isEqualTo("OPEN");
				letter.findElement(By.className("replay")).click();
				wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("notice"), "replayed"));

				new Select(browser
					.findElement(By.cssSelector("form.filters[data-list='dead-letters'] select[name='status']")))
					.selectByVisibleText("any");
				browser.findElement(By.cssSelector("form.filters[data-list='dead-letters'] button[type='submit']"))
					.click();
				wait.until(ExpectedConditions.textToBe(
						By.cssSelector("#dead-letters-rows tr[data-id='" + deadLetterId + "'] .status"), "REPLAYED"));
				await().atMost(Duration.ofSeconds(30)).until(() -> rejecting.received().size() == 2);
			}
			finally {
				browser.quit();
			}
		}
	}

	private static void signIn(WebDriver browser, String token) {
		WebElement field = browser.findElement(By.id("token"));
		field.clear();
		field.sendKeys(token);
		browser.findElement(By.id("sign-in-button")).click();
	}

}
