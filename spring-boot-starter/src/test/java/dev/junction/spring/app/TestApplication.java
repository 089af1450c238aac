package dev.junction.spring.app;

import static org.springframework.security.config.Customizer.withDefaults;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * A Spring Boot application as a user writes one: a controller of its own, Spring Security guarding some paths, and
 * Junction's routes in its configuration. The tests start it on embedded Tomcat.
 */
@SpringBootApplication
@RestController
public class TestApplication {

    /** The user {@link #security} knows, and their password. */
    public static final String USER = "user";
    public static final String PASSWORD = "secret";

    /** The application's own endpoint, where requests no route takes arrive. */
    @GetMapping("/own")
    String own() {
        return "own";
    }

    /**
     * Everything open but {@code /secure/**}, which needs HTTP Basic. CSRF protection is off, as for an API whose
     * clients send no CSRF token: it would refuse proxied POSTs, and read a form body the proxy has to forward.
     */
    @Bean
    SecurityFilterChain security(HttpSecurity http) throws Exception {
        return http.csrf(csrf -> csrf.disable())
                .authorizeHttpRequests(requests -> requests.requestMatchers("/secure/**").authenticated()
                        .anyRequest().permitAll())
                .httpBasic(withDefaults())
                .build();
    }

    @Bean
    UserDetailsService users() {
        return new InMemoryUserDetailsManager(User.withUsername(USER).password("{noop}" + PASSWORD).roles("USER")
                .build());
    }
}
