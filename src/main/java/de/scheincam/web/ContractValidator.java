package de.scheincam.web;

import java.util.List;
import java.util.stream.Collectors;

import com.atlassian.oai.validator.OpenApiInteractionValidator;
import com.atlassian.oai.validator.model.SimpleRequest;
import com.atlassian.oai.validator.report.LevelResolver;
import com.atlassian.oai.validator.report.ValidationReport;
import org.apache.camel.Exchange;
import org.apache.camel.spi.RestClientRequestValidator;
import org.apache.camel.support.MessageHelper;

/**
 * Validates requests against openapi.yaml (Atlassian's validator, as camel-openapi-validator does) and
 * answers in our error shape. Replaces camel-openapi-validator's validator because that one builds a
 * new schema validator for every request and answers in plain text; this one builds it once.
 * Authentication is checked by the routes (401, not 400), so security findings are ignored here.
 */
public class ContractValidator implements RestClientRequestValidator {

    private final OpenApiInteractionValidator validator;
    private final String basePath;
    private final Problems problems;

    private final JsonBodies bodies;

    public ContractValidator(String specificationLocation, String basePath, Problems problems, JsonBodies bodies) {
        this.bodies = bodies;
        this.validator = OpenApiInteractionValidator.createForSpecificationUrl(specificationLocation)
                .withLevelResolver(LevelResolver.create()
                        .withLevel("validation.request.security", ValidationReport.Level.IGNORE)
                        .withLevel("validation.request.accept", ValidationReport.Level.IGNORE)
                        .withLevel("validation.request.parameter.header", ValidationReport.Level.IGNORE)
                        .build())
                .build();
        this.basePath = basePath;
        this.problems = problems;
    }

    @Override
    public ValidationError validate(Exchange exchange, ValidationContext context) {
        String method = exchange.getMessage().getHeader(Exchange.HTTP_METHOD, String.class);
        String path = exchange.getMessage().getHeader(Exchange.HTTP_PATH, String.class);
        if (path != null && path.startsWith(basePath)) {
            path = path.substring(basePath.length());
        }
        SimpleRequest.Builder request = new SimpleRequest.Builder(method, path, false);
        String contentType = exchange.getMessage().getHeader(Exchange.CONTENT_TYPE, String.class);
        if (contentType != null) {
            request.withContentType(contentType);
        }
        String body;
        if (contentType != null && contentType.toLowerCase(java.util.Locale.ROOT).contains("json")) {
            // one strict reading (JsonBodies); the routes then read the same text the validator saw
            byte[] raw = exchange.getMessage().getBody(byte[].class);
            try {
                body = raw == null || raw.length == 0 ? null : bodies.object(raw);
            } catch (ApiProblem e) {
                exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, "application/json");
                return new ValidationError(e.getStatus(), problems.detail(e.getMessage()));
            }
            exchange.getMessage().setBody(body);
        } else {
            body = MessageHelper.extractBodyAsString(exchange.getMessage());
        }
        if (body != null && !body.isEmpty()) {
            request.withBody(body);
        }
        String query = exchange.getMessage().getHeader(Exchange.HTTP_QUERY, String.class);
        if (query != null && !query.isEmpty()) {
            for (String pair : query.split("&")) {
                int eq = pair.indexOf('=');
                request.withQueryParam(eq < 0 ? pair : pair.substring(0, eq), eq < 0 ? "" : pair.substring(eq + 1));
            }
        }
        ValidationReport report = validator.validateRequest(request.build());
        if (!report.hasErrors()) {
            return null;
        }
        List<ValidationReport.Message> errors = report.getMessages().stream()
                .filter(m -> m.getLevel() == ValidationReport.Level.ERROR)
                .toList();
        // the request's own Content-Type is still a message header and would otherwise label the answer
        exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, "application/json");
        return new ValidationError(status(errors), problems.detail(describe(errors)));
    }

    private static java.util.Optional<String> parameter(ValidationReport.Message m) {
        return m.getContext().flatMap(ValidationReport.MessageContext::getParameter).map(p -> p.getName());
    }

    /** Validator messages quote the offending value whole; a 100 kB value must not come back whole. */
    private static String shorten(String message) {
        return message.length() > 300 ? message.substring(0, 300) + "…" : message;
    }

    private static int status(List<ValidationReport.Message> errors) {
        for (ValidationReport.Message m : errors) {
            String key = m.getKey();
            if (key.contains("invalidJson") && parameter(m).isEmpty()) {
                return 400;
            }
            if (key.startsWith("validation.request.contentType")) {
                return 415;
            }
            if (key.equals("validation.request.operation.notAllowed")) {
                return 405;
            }
            if (key.equals("validation.request.path.missing")) {
                return 404;
            }
        }
        return 422;
    }

    private static final java.util.regex.Pattern BODY_PATH = java.util.regex.Pattern.compile("\\[Path '/([^']+)'] (.*)", java.util.regex.Pattern.DOTALL);

    private static String describe(List<ValidationReport.Message> errors) {
        return errors.stream().map(m -> {
            if (m.getKey().contains("invalidJson") && parameter(m).isPresent()) {
                // the validator parses a numeric query value as JSON: NaN is a bad value, not a bad body
                return "Parameter '" + parameter(m).get() + "': not a value of the declared type.";
            }
            if (m.getKey().contains("invalidJson")) {
                String text = m.getMessage();
                int cut = text.indexOf(" at [Source");
                int cut2 = text.indexOf(" (for ");
                text = text.substring(0, cut > 0 ? cut : text.length());
                return "The request body is not valid JSON: " + (cut2 > 0 && cut2 < text.length() ? text.substring(0, cut2) : text);
            }
            java.util.regex.Matcher path = BODY_PATH.matcher(m.getMessage());
            if (path.matches()) {
                // "[Path '/start_time'] ECMA 262 regex …" names the field as every other refusal does
                return shorten("Field '" + path.group(1) + "': " + path.group(2));
            }
            if (m.getMessage().startsWith("[Path")) {
                return m.getMessage();
            }
            String where = m.getContext()
                    .flatMap(ValidationReport.MessageContext::getPointers)
                    .map(ValidationReport.MessageContext.Pointers::getInstance)
                    .filter(p -> !p.isEmpty() && !"/".equals(p))
                    .map(p -> "Field '" + p.substring(1) + "': ")
                    .or(() -> m.getContext().flatMap(ValidationReport.MessageContext::getParameter)
                            .map(p -> "Parameter '" + p.getName() + "': "))
                    .orElse("");
            return shorten(where + m.getMessage());
        }).collect(Collectors.joining("; "));
    }
}
