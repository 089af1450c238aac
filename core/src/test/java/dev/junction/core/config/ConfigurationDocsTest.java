package dev.junction.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Supplier;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.xml.sax.InputSource;

/**
 * Proves that every example in docs/configuration.md loads: each {@code yaml} block with {@link YamlConfigLoader},
 * each {@code properties} block with {@link FlatConfigLoader}, and the {@code init-param}s of each {@code xml} block as
 * flat keys. Deliberately invalid examples are fenced as {@code text}; a {@code text} block showing a
 * {@link ConfigException} must be exactly what the {@code text} block before it gives.
 */
class ConfigurationDocsTest {

    /** Relative to the core module, surefire's working directory. */
    private static final Path DOC = Path.of("../docs/configuration.md");
    private static final String PROPERTY_PREFIX = "junction.";

    /** A fenced block: its language, the line of its opening fence, and its text. */
    record Block(String language, int line, String text) {
    }

    @TestFactory
    Stream<DynamicTest> everyYamlExampleLoads() throws IOException {
        return blocks("yaml").map(block -> DynamicTest.dynamicTest("yaml at line " + block.line(),
                () -> loads(block, () -> YamlConfigLoader.load(block.text()))));
    }

    @TestFactory
    Stream<DynamicTest> everyPropertiesExampleLoads() throws IOException {
        return blocks("properties").map(block -> DynamicTest.dynamicTest("properties at line " + block.line(), () -> {
            Properties props = new Properties();
            props.load(new StringReader(block.text()));
            // System-property examples carry the junction. prefix; init-param style ones have none.
            boolean prefixed = props.stringPropertyNames().stream().allMatch(key -> key.startsWith(PROPERTY_PREFIX));
            loads(block, () -> FlatConfigLoader.fromProperties(props, prefixed ? PROPERTY_PREFIX : ""));
        }));
    }

    @TestFactory
    Stream<DynamicTest> theInitParamsOfEveryXmlExampleLoad() throws IOException {
        return blocks("xml").map(block -> DynamicTest.dynamicTest("xml at line " + block.line(), () -> {
            Map<String, String> params = initParams(block);
            assertThat(params).as("init-params of the xml block at line %d", block.line()).isNotEmpty();
            loads(block, () -> FlatConfigLoader.load(params));
        }));
    }

    @TestFactory
    Stream<DynamicTest> everyProblemListShownIsWhatItsExampleGives() throws IOException {
        List<Block> text = blocks("text").toList();
        List<DynamicTest> tests = new ArrayList<>();
        for (int i = 1; i < text.size(); i++) {
            Block shown = text.get(i);
            if (!shown.text().startsWith("Invalid Junction configuration")) {
                continue;
            }
            Block example = text.get(i - 1);
            tests.add(DynamicTest.dynamicTest("problems at line " + shown.line(), () -> {
                try {
                    YamlConfigLoader.load(example.text());
                    fail(DOC + " line " + example.line() + ": the example is meant to be invalid but loads");
                } catch (ConfigException e) {
                    assertThat(e.getMessage().replace(System.lineSeparator(), "\n"))
                            .as(DOC + " line " + shown.line()).isEqualTo(shown.text().stripTrailing());
                }
            }));
        }
        assertThat(tests).isNotEmpty();
        return tests.stream();
    }

    @Test
    void hasExamplesOfEveryKind() throws IOException {
        assertThat(blocks("yaml")).hasSizeGreaterThanOrEqualTo(5);
        assertThat(blocks("properties")).hasSizeGreaterThanOrEqualTo(1);
        assertThat(blocks("xml")).hasSizeGreaterThanOrEqualTo(1);
    }

    @Test
    void theReferenceListsEveryKeyOnce() throws IOException {
        List<String> lines = Files.readAllLines(DOC, StandardCharsets.UTF_8);
        List<String> keys = List.of("routes", "routes[].name", "routes[].prefix", "routes[].stripPrefix",
                "routes[].rewrite", "routes[].strategy", "routes[].strategy.<option>", "routes[].whenAllDown",
                "routes[].backends", "routes[].backends[].url", "routes[].backends[].id", "routes[].backends[].weight",
                "routes[].backends[].backup", "routes[].backends[].disabled", "routes[].backends[].maxConcurrent",
                "routes[].backends[].metadata");
        for (String key : keys) {
            assertThat(lines.stream().filter(line -> line.startsWith("| `" + key + "` |")))
                    .as("reference rows for %s", key).hasSize(1);
        }
    }

    private static void loads(Block block, Supplier<JunctionConfig> load) {
        try {
            assertThat(load.get().routes()).isNotEmpty();
        } catch (ConfigException e) {
            fail(DOC + " line " + block.line() + ": the " + block.language() + " example does not load: "
                    + e.getMessage());
        }
    }

    /** Returns the fenced blocks of a language, each with its indentation removed. */
    private static Stream<Block> blocks(String language) throws IOException {
        List<String> lines = Files.readAllLines(DOC, StandardCharsets.UTF_8);
        List<Block> blocks = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String fence = lines.get(i).stripLeading();
            if (!fence.startsWith("```") || fence.equals("```")) {
                continue;
            }
            int indent = lines.get(i).length() - fence.length();
            int start = i;
            StringBuilder text = new StringBuilder();
            for (i++; i < lines.size() && !lines.get(i).strip().equals("```"); i++) {
                String line = lines.get(i);
                text.append(line, Math.min(indent, line.length() - line.stripLeading().length()), line.length())
                        .append('\n');
            }
            if (i == lines.size()) {
                fail(DOC + " line " + (start + 1) + ": the block is never closed");
            }
            if (fence.substring(3).strip().equals(language)) {
                blocks.add(new Block(language, start + 1, text.toString()));
            }
        }
        return blocks.stream();
    }

    private static Map<String, String> initParams(Block block) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        // The snippet may hold several top-level elements (a filter and its mapping): parse it wrapped in one.
        Document document = factory.newDocumentBuilder()
                .parse(new InputSource(new StringReader("<snippet>" + block.text() + "</snippet>")));
        NodeList params = document.getElementsByTagName("init-param");
        Map<String, String> values = new LinkedHashMap<>();
        for (int i = 0; i < params.getLength(); i++) {
            Element param = (Element) params.item(i);
            values.put(param.getElementsByTagName("param-name").item(0).getTextContent().strip(),
                    param.getElementsByTagName("param-value").item(0).getTextContent());
        }
        return values;
    }
}
