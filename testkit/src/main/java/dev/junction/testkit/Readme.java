package dev.junction.testkit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The project's README as the quick-start tests read it: the fenced blocks under a {@code ###} heading, so that what
 * the README shows is what the tests run.
 */
public final class Readme {

    private static final Pattern BLOCK = Pattern.compile("```(\\w+)\\n(.*?)```", Pattern.DOTALL);

    private Readme() {
    }

    /**
     * Returns the text of every block fenced as {@code language} under the heading {@code ### title}, up to the next
     * heading, in order.
     *
     * @param readme the README (a module's tests run in the module's directory: {@code ../README.md})
     * @param title the heading's text, without {@code ###}
     * @param language the fence's language, such as {@code yaml}
     * @return the blocks' texts, empty if the section has none
     * @throws IOException if the README cannot be read
     * @throws IllegalArgumentException if the README has no such heading
     */
    public static List<String> blocks(Path readme, String title, String language) throws IOException {
        String text = Files.readString(readme, StandardCharsets.UTF_8);
        int start = text.indexOf("\n### " + title + "\n");
        if (start < 0) {
            throw new IllegalArgumentException(readme + " has no heading '### " + title + "'");
        }
        int end = text.indexOf("\n##", start + 1);
        Matcher block = BLOCK.matcher(text.substring(start, end < 0 ? text.length() : end));
        List<String> found = new ArrayList<>();
        while (block.find()) {
            if (block.group(1).equals(language)) {
                found.add(block.group(2));
            }
        }
        return found;
    }
}
