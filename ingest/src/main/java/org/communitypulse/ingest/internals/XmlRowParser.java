package org.communitypulse.ingest.internals;

import java.io.StringReader;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * Parses one dump line, {@code <row A="..." B="..." />}, into its attributes with StAX.
 *
 * <p>Stack Exchange dumps hold one row per line (line breaks inside values are escaped as
 * {@code &#xA;}), so parsing each line on its own keeps memory constant and lets one broken line be
 * reported and skipped while the rest of the file is still read. The factory refuses DTDs and
 * external entities: a dump is untrusted input.
 */
public final class XmlRowParser {

    /** A line that is not one well-formed {@code <row/>} element. */
    public static final class MalformedRowException extends Exception {
        private static final long serialVersionUID = 1L;

        public MalformedRowException(String message) {
            super(message);
        }
    }

    private final XMLInputFactory factory;

    public XmlRowParser() {
        factory = XMLInputFactory.newFactory();
        factory.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        factory.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        factory.setProperty(XMLInputFactory.IS_NAMESPACE_AWARE, false);
    }

    /**
     * The attributes of the single {@code row} element on this line, in document order.
     *
     * @throws MalformedRowException if the line is not exactly one well-formed {@code row} element
     */
    public Map<String, String> parse(String line) throws MalformedRowException {
        XMLStreamReader reader = null;
        try {
            reader = factory.createXMLStreamReader(new StringReader(line));
            Map<String, String> attributes = null;
            while (reader.hasNext()) {
                int event = reader.next();
                if (event == XMLStreamConstants.START_ELEMENT) {
                    if (attributes != null) {
                        throw new MalformedRowException("nested element <" + reader.getLocalName() + ">");
                    }
                    if (!"row".equals(reader.getLocalName())) {
                        throw new MalformedRowException("expected <row/> but found <" + reader.getLocalName() + ">");
                    }
                    attributes = new LinkedHashMap<>();
                    for (int i = 0; i < reader.getAttributeCount(); i++) {
                        attributes.put(reader.getAttributeLocalName(i), reader.getAttributeValue(i));
                    }
                } else if (event == XMLStreamConstants.DTD) {
                    throw new MalformedRowException("DTD not allowed");
                }
            }
            if (attributes == null) {
                throw new MalformedRowException("no <row/> element");
            }
            return attributes;
        } catch (XMLStreamException e) {
            throw new MalformedRowException("bad XML: " + firstLine(e.getMessage()));
        } finally {
            close(reader);
        }
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "unknown error";
        }
        // The JDK prefixes "ParseError at [row,col]:[1,23]\nMessage: ..."; keep the useful part.
        int at = message.indexOf("Message: ");
        String text = at >= 0 ? message.substring(at + "Message: ".length()) : message;
        return text.replace('\n', ' ').strip();
    }

    private static void close(XMLStreamReader reader) {
        if (reader != null) {
            try {
                reader.close();
            } catch (XMLStreamException ignored) {
                // Nothing was opened but a StringReader.
            }
        }
    }
}
