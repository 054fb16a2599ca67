package io.postbackrelay.admin.console;

import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;

/**
 * Serves the admin console, a static page at {@code /admin/} that calls the API with the
 * token an admin signs in with.
 */
@Controller
class ConsoleController {

	@GetMapping({ "/", "/admin" })
	String toConsole() {
		return "redirect:/admin/";
	}

	@GetMapping("/admin/")
	String console() {
		return "forward:/admin/index.html";
	}

}
