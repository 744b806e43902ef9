package de.scheincam.settings;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/** One value for every setting of the table; immutable, so a change is checked whole before it is applied. */
public final class SettingValues {

    private final Map<Setting<?>, Object> values;

    private SettingValues(Map<Setting<?>, Object> values) {
        this.values = values;
    }

    /** Every setting from its properties text ({@code property} answers null or "" for an empty one). */
    public static SettingValues read(Function<String, String> property) {
        Map<Setting<?>, Object> values = new LinkedHashMap<>();
        for (Setting<?> s : Setting.ALL) {
            values.put(s, s.parse(property.apply(s.key())));
        }
        return new SettingValues(values);
    }

    @SuppressWarnings("unchecked")
    public <T> T get(Setting<T> setting) {
        return (T) values.get(setting);
    }

    public <T> SettingValues with(Setting<T> setting, T value) {
        Map<Setting<?>, Object> changed = new LinkedHashMap<>(values);
        changed.put(setting, value);
        return new SettingValues(changed);
    }

    /** A setting's value as settings.properties holds it. */
    public <T> String text(Setting<T> setting) {
        return setting.text(get(setting));
    }

    /** A setting's value as GET /api/settings answers it. */
    public <T> Object json(Setting<T> setting) {
        return setting.kind().json(get(setting));
    }
}
