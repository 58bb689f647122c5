package org.communitypulse.ingest.internals;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.communitypulse.ingest.internals.XmlRowParser.MalformedRowException;
import org.junit.jupiter.api.Test;

class XmlRowParserTest {

    private final XmlRowParser parser = new XmlRowParser();

    @Test
    void shouldDecodeEntitiesWhenRowHasEscapedText() throws Exception {
        Map<String, String> row = parser.parse(
                "<row Id=\"7\" Body=\"&lt;p&gt;a &amp; b&lt;/p&gt;&#xA;&quot;q&quot;\" Tags=\"|x|\" />");
        assertThat(row).containsEntry("Id", "7").containsEntry("Body", "<p>a & b</p>\n\"q\"")
                .containsEntry("Tags", "|x|");
        assertThat(row.keySet()).containsExactly("Id", "Body", "Tags");
    }

    @Test
    void shouldRejectWhenAttributeIsUnterminated() {
        assertThatThrownBy(() -> parser.parse("<row Id=\"7\" Body=\"open />"))
                .isInstanceOf(MalformedRowException.class).hasMessageStartingWith("bad XML");
    }

    @Test
    void shouldRejectWhenElementIsNotRow() {
        assertThatThrownBy(() -> parser.parse("<post Id=\"7\" />"))
                .isInstanceOf(MalformedRowException.class).hasMessageContaining("<post>");
    }

    @Test
    void shouldRejectWhenRowHasChildren() {
        assertThatThrownBy(() -> parser.parse("<row Id=\"7\"><row Id=\"8\"/></row>"))
                .isInstanceOf(MalformedRowException.class).hasMessageContaining("nested");
    }

    @Test
    void shouldRefuseExternalEntitiesWhenLineCarriesDoctype() {
        String attack = "<!DOCTYPE row [<!ENTITY x SYSTEM \"file:///etc/passwd\">]><row Id=\"&x;\" />";
        assertThatThrownBy(() -> parser.parse(attack)).isInstanceOf(MalformedRowException.class);
    }

    @Test
    void shouldRejectWhenUndeclaredEntityIsUsed() {
        assertThatThrownBy(() -> parser.parse("<row Id=\"&nbsp;\" />")).isInstanceOf(MalformedRowException.class);
    }
}
