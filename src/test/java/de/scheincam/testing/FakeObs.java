package de.scheincam.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import de.scheincam.obs.ObsAuth;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.ServerWebSocket;

/**
 * An obs-websocket 5 server that behaves like OBS 29 where ScheinCam cares (authentication, requests,
 * RecordStateChanged with the output path, scenes, filters, volume meters) and can misbehave on
 * purpose: refuse a request with a code, stay silent, drop the connection, send events early, answer
 * "not ready" (207) a few times. {@link #speak55()} makes it an OBS 30+ with obs-websocket 5.5:
 * SetRecordDirectory, SplitRecordFile (a new file and RecordFileChanged) and CreateRecordChapter.
 */
public final class FakeObs implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The requests Debian's OBS 29.0.2 (obs-websocket 5.1.0) lists in GetVersion's availableRequests (measured). */
    public static final Set<String> OBS_29_REQUESTS = Set.of(
            "BroadcastCustomEvent", "CallVendorRequest", "CreateInput", "CreateProfile", "CreateScene",
            "CreateSceneCollection", "CreateSceneItem", "CreateSourceFilter", "DuplicateSceneItem",
            "GetCurrentPreviewScene", "GetCurrentProgramScene", "GetCurrentSceneTransition",
            "GetCurrentSceneTransitionCursor", "GetGroupList", "GetGroupSceneItemList", "GetHotkeyList",
            "GetInputAudioBalance", "GetInputAudioMonitorType", "GetInputAudioSyncOffset", "GetInputAudioTracks",
            "GetInputDefaultSettings", "GetInputKindList", "GetInputList", "GetInputMute",
            "GetInputPropertiesListPropertyItems", "GetInputSettings", "GetInputVolume", "GetLastReplayBufferReplay",
            "GetMediaInputStatus", "GetMonitorList", "GetOutputList", "GetOutputSettings", "GetOutputStatus",
            "GetPersistentData", "GetProfileList", "GetProfileParameter", "GetRecordDirectory", "GetRecordStatus",
            "GetReplayBufferStatus", "GetSceneCollectionList", "GetSceneItemBlendMode", "GetSceneItemEnabled",
            "GetSceneItemId", "GetSceneItemIndex", "GetSceneItemList", "GetSceneItemLocked",
            "GetSceneItemPrivateSettings", "GetSceneItemTransform", "GetSceneList", "GetSceneSceneTransitionOverride",
            "GetSceneTransitionList", "GetSourceActive", "GetSourceFilter", "GetSourceFilterDefaultSettings",
            "GetSourceFilterList", "GetSourcePrivateSettings", "GetSourceScreenshot", "GetSpecialInputs", "GetStats",
            "GetStreamServiceSettings", "GetStreamStatus", "GetStudioModeEnabled", "GetTransitionKindList",
            "GetVersion", "GetVideoSettings", "GetVirtualCamStatus", "OffsetMediaInputCursor",
            "OpenInputFiltersDialog", "OpenInputInteractDialog", "OpenInputPropertiesDialog", "OpenSourceProjector",
            "OpenVideoMixProjector", "PauseRecord", "PressInputPropertiesButton", "RemoveInput", "RemoveProfile",
            "RemoveScene", "RemoveSceneItem", "RemoveSourceFilter", "ResumeRecord", "SaveReplayBuffer",
            "SaveSourceScreenshot", "SendStreamCaption", "SetCurrentPreviewScene", "SetCurrentProfile",
            "SetCurrentProgramScene", "SetCurrentSceneCollection", "SetCurrentSceneTransition",
            "SetCurrentSceneTransitionDuration", "SetCurrentSceneTransitionSettings", "SetInputAudioBalance",
            "SetInputAudioMonitorType", "SetInputAudioSyncOffset", "SetInputAudioTracks", "SetInputMute",
            "SetInputName", "SetInputSettings", "SetInputVolume", "SetMediaInputCursor", "SetOutputSettings",
            "SetPersistentData", "SetProfileParameter", "SetSceneItemBlendMode", "SetSceneItemEnabled",
            "SetSceneItemIndex", "SetSceneItemLocked", "SetSceneItemPrivateSettings", "SetSceneItemTransform",
            "SetSceneName", "SetSceneSceneTransitionOverride", "SetSourceFilterEnabled", "SetSourceFilterIndex",
            "SetSourceFilterName", "SetSourceFilterSettings", "SetSourcePrivateSettings", "SetStreamServiceSettings",
            "SetStudioModeEnabled", "SetTBarPosition", "SetVideoSettings", "Sleep", "StartOutput", "StartRecord",
            "StartReplayBuffer", "StartStream", "StartVirtualCam", "StopOutput", "StopRecord", "StopReplayBuffer",
            "StopStream", "StopVirtualCam", "ToggleInputMute", "ToggleOutput", "ToggleRecord", "ToggleRecordPause",
            "ToggleReplayBuffer", "ToggleStream", "ToggleVirtualCam", "TriggerHotkeyByKeySequence",
            "TriggerHotkeyByName", "TriggerMediaInputAction", "TriggerStudioModeTransition");

    private final Vertx vertx = Vertx.vertx();
    private final HttpServer server;
    private final String password;
    private final Path recordings;
    private final Path sampleRecording;
    private final Set<ServerWebSocket> sockets = new CopyOnWriteArraySet<>();
    private final Map<String, AtomicInteger> requests = new ConcurrentHashMap<>();
    private final Map<String, Integer> refusals = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> notReady = new ConcurrentHashMap<>();
    /** Every request as received: its type and data, in order. */
    public final java.util.List<JsonNode> received = new java.util.concurrent.CopyOnWriteArrayList<>();
    /** Chapters marked with CreateRecordChapter, by name. */
    public final java.util.List<String> chapters = new java.util.concurrent.CopyOnWriteArrayList<>();
    /** GetVersion's answer; by default what Debian's OBS 29.0.2 (obs-websocket 5.1.0) says. */
    public volatile String obsVersion = "29.0.2";
    public volatile String obsWebSocketVersion = "5.1.0";
    public final Set<String> availableRequests = new java.util.concurrent.ConcurrentSkipListSet<>(OBS_29_REQUESTS);
    public final AtomicInteger connections = new AtomicInteger();
    public final AtomicInteger authFailures = new AtomicInteger();

    public volatile boolean silent;
    public volatile boolean recording;
    public volatile boolean stoppedEventBeforeResponse;
    public volatile String scene = "main";
    public volatile boolean logoFilterEnabled;
    public volatile String filenameFormatting;
    public volatile String recordPath;
    public volatile String outputPath;
    /** Fault: StartRecord succeeds and the output reports started and active, but no file is ever written. */
    public volatile boolean writesNothing;
    /** Profile parameters set over the websocket ("Category/Name" → value), answered by GetProfileParameter. */
    public final Map<String, String> profile = new java.util.concurrent.ConcurrentHashMap<>();
    private final Map<ServerWebSocket, Long> metersTimers = new ConcurrentHashMap<>();

    public FakeObs(String password, Path recordings, Path sampleRecording) {
        this(password, recordings, sampleRecording, 0);
    }

    /** On a given port, e.g. to play an OBS that comes back where it was. */
    public FakeObs(String password, Path recordings, Path sampleRecording, int port) {
        this.password = password;
        this.recordings = recordings;
        this.sampleRecording = sampleRecording;
        this.server = vertx.createHttpServer().webSocketHandler(this::accept);
        try {
            server.listen(port, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public int port() {
        return server.actualPort();
    }

    /** Plays OBS 30+ with obs-websocket 5.5: record directory, file splitting and chapters on offer. */
    public FakeObs speak55() {
        obsVersion = "31.0.0";
        obsWebSocketVersion = "5.5.4";
        availableRequests.addAll(Set.of("SetRecordDirectory", "SplitRecordFile", "CreateRecordChapter", "GetSceneItemSource"));
        return this;
    }

    /** The next {@code times} requests of this type are answered 207 "not ready". */
    public void notReady(String requestType, int times) {
        notReady.put(requestType, new AtomicInteger(times));
    }

    /** OBS's automatic file splitting: the recording goes on in a new file (as after SplitRecordFile). */
    public void splitNow() {
        vertx.runOnContext(v -> split());
    }

    public int count(String requestType) {
        return requests.getOrDefault(requestType, new AtomicInteger()).get();
    }

    /** The next requests of this type fail with this OBS status code. */
    public void refuse(String requestType, int code) {
        refusals.put(requestType, code);
    }

    public void allow(String requestType) {
        refusals.remove(requestType);
    }

    /** Closes every connection abruptly, as a crashing OBS would. */
    public void dropConnections() {
        sockets.forEach(ServerWebSocket::close);
    }

    private void accept(ServerWebSocket ws) {
        connections.incrementAndGet();
        sockets.add(ws);
        ws.closeHandler(v -> {
            sockets.remove(ws);
            Long timer = metersTimers.remove(ws);
            if (timer != null) {
                vertx.cancelTimer(timer);
            }
        });
        String salt = "c2FsdA==";
        String challenge = "Y2hhbGxlbmdl" + connections.get();
        ObjectNode hello = JSON.createObjectNode().put("op", 0);
        ObjectNode d = hello.putObject("d").put("obsWebSocketVersion", "5.1.0").put("rpcVersion", 1);
        if (password != null) {
            d.putObject("authentication").put("challenge", challenge).put("salt", salt);
        }
        ws.writeTextMessage(hello.toString());
        ws.textMessageHandler(text -> {
            try {
                handle(ws, JSON.readTree(text), salt, challenge);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    private void handle(ServerWebSocket ws, JsonNode message, String salt, String challenge) {
        JsonNode d = message.path("d");
        switch (message.path("op").asInt()) {
            case 1 -> {
                if (password != null && !ObsAuth.response(password, salt, challenge).equals(d.path("authentication").asText())) {
                    authFailures.incrementAndGet();
                    ws.close((short) 4009, "Authentication failed.");
                    return;
                }
                updateMeters(ws, d.path("eventSubscriptions").asInt());
                ws.writeTextMessage(JSON.createObjectNode().put("op", 2).set("d",
                        JSON.createObjectNode().put("negotiatedRpcVersion", 1)).toString());
            }
            case 3 -> updateMeters(ws, d.path("eventSubscriptions").asInt());
            case 6 -> request(ws, d.path("requestType").asText(), d.path("requestId").asText(), d.path("requestData"));
            default -> { }
        }
    }

    private void request(ServerWebSocket ws, String type, String id, JsonNode data) {
        requests.computeIfAbsent(type, k -> new AtomicInteger()).incrementAndGet();
        received.add(JSON.createObjectNode().put("requestType", type).set("requestData", data));
        if (silent) {
            return;
        }
        AtomicInteger busy = notReady.get(type);
        if (busy != null && busy.getAndDecrement() > 0) {
            respond(ws, type, id, false, 207, "The server is not ready to handle the request.", null);
            return;
        }
        if (!availableRequests.contains(type)) {
            respond(ws, type, id, false, 204, "Your request type is not valid.", null);
            return;
        }
        Integer refusal = refusals.get(type);
        if (refusal != null) {
            respond(ws, type, id, false, refusal, "refused by the fake", null);
            return;
        }
        ObjectNode out = JSON.createObjectNode();
        switch (type) {
            case "GetVersion" -> {
                out.put("obsVersion", obsVersion).put("obsWebSocketVersion", obsWebSocketVersion).put("rpcVersion", 1);
                availableRequests.forEach(out.putArray("availableRequests")::add);
                out.putArray("supportedImageFormats").add("jpg").add("png");
                out.put("platform", "debian").put("platformDescription", "Debian GNU/Linux (fake)");
            }
            case "SetRecordDirectory" -> {
                if (recording) {
                    respond(ws, type, id, false, 500, "The output is already running.", null);
                    return;
                }
                // as obs-websocket does: the profile's path for both output modes
                recordPath = data.path("recordDirectory").asText();
                profile.put("SimpleOutput/FilePath", recordPath);
                profile.put("AdvOut/RecFilePath", recordPath);
            }
            case "SplitRecordFile" -> {
                if (!recording) {
                    respond(ws, type, id, false, 501, "The output is not running.", null);
                    return;
                }
                respond(ws, type, id, true, 100, null, out);
                split();
                return;
            }
            case "CreateRecordChapter" -> {
                if (!recording) {
                    respond(ws, type, id, false, 501, "The output is not running.", null);
                    return;
                }
                chapters.add(data.path("chapterName").asText(null));
            }
            case "GetRecordStatus" -> out.put("outputActive", recording).put("outputDuration", recording ? 5000 : 0);
            case "GetCurrentProgramScene" -> out.put("currentProgramSceneName", scene);
            case "SetCurrentProgramScene" -> {
                scene = data.path("sceneName").asText();
                event(ws, "CurrentProgramSceneChanged", JSON.createObjectNode().put("sceneName", scene));
            }
            case "SetSourceFilterEnabled" -> logoFilterEnabled = data.path("filterEnabled").asBoolean();
            case "GetProfileParameter" -> {
                String value = profile.get(data.path("parameterCategory").asText() + "/" + data.path("parameterName").asText());
                if (value == null) {
                    out.putNull("parameterValue");
                } else {
                    out.put("parameterValue", value);
                }
                out.putNull("defaultParameterValue");
            }
            case "SetProfileParameter" -> {
                profile.put(data.path("parameterCategory").asText() + "/" + data.path("parameterName").asText(),
                        data.path("parameterValue").asText());
                if ("FilenameFormatting".equals(data.path("parameterName").asText())) {
                    filenameFormatting = data.path("parameterValue").asText();
                }
                if ("FilePath".equals(data.path("parameterName").asText())) {
                    recordPath = data.path("parameterValue").asText();
                }
            }
            case "StartRecord" -> {
                if (recording) {
                    respond(ws, type, id, false, 500, "The output is already running.", null);
                    return;
                }
                respond(ws, type, id, true, 100, null, out);
                startRecording(ws);
                return;
            }
            case "StopRecord" -> {
                if (!recording) {
                    respond(ws, type, id, false, 501, "The output is not running.", null);
                    return;
                }
                recording = false;
                if (stoppedEventBeforeResponse) {
                    event(ws, "RecordStateChanged", recordState("OBS_WEBSOCKET_OUTPUT_STOPPED", outputPath));
                    respond(ws, type, id, true, 100, null, out.put("outputPath", outputPath));
                } else {
                    // like OBS 29: the answer comes first, the output stops a little later
                    respond(ws, type, id, true, 100, null, out.put("outputPath", outputPath));
                    vertx.setTimer(300, t -> event(ws, "RecordStateChanged", recordState("OBS_WEBSOCKET_OUTPUT_STOPPED", outputPath)));
                }
                return;
            }
            case "GetSourceScreenshot" -> out.put("imageData", "data:image/jpg;base64,/9j/4AAQSkZJRgABAQAAAQABAAD/2wBD");
            case "GetInputSettings" -> {
                out.put("inputKind", "ffmpeg_source");
                out.putObject("inputSettings").put("local_file", "/tmp/camera.mkv").put("looping", true);
            }
            case "SetInputSettings", "TriggerMediaInputAction" -> { }
            default -> {
                respond(ws, type, id, false, 204, "Unknown request type.", null);
                return;
            }
        }
        respond(ws, type, id, true, 100, null, out);
    }

    private void startRecording(ServerWebSocket ws) {
        recording = true;
        Path file = nextFile();
        outputPath = file.toString();
        if (writesNothing) {
            event(ws, "RecordStateChanged", recordState("OBS_WEBSOCKET_OUTPUT_STARTING", null));
            String claimed = outputPath;
            vertx.setTimer(200, t -> event(ws, "RecordStateChanged", recordState("OBS_WEBSOCKET_OUTPUT_STARTED", claimed)));
            return;
        }
        write(file);
        event(ws, "RecordStateChanged", recordState("OBS_WEBSOCKET_OUTPUT_STARTING", null));
        Path started = file;
        vertx.setTimer(200, t -> event(ws, "RecordStateChanged", recordState("OBS_WEBSOCKET_OUTPUT_STARTED", started.toString())));
    }

    /**
     * The name OBS picks: its filename formatting (which ScheinCam sets to a literal name), with " (2)"
     * and so on when that is taken, as OBS does for a split too.
     */
    private Path nextFile() {
        String name = filenameFormatting == null ? "obs-default" : filenameFormatting;
        Path file = recordings.resolve(name + ".mkv");
        int n = 2;
        while (Files.exists(file)) {
            file = recordings.resolve(name + " (" + n++ + ").mkv");
        }
        return file;
    }

    /** Like OBS 30's file splitting: the output goes on in a new file, and every client hears RecordFileChanged. */
    private void split() {
        if (!recording) {
            return;
        }
        Path file = nextFile();
        outputPath = file.toString();
        write(file);
        ObjectNode data = JSON.createObjectNode().put("newOutputPath", file.toString());
        sockets.forEach(ws -> event(ws, "RecordFileChanged", data));
    }

    /** Like a muxer: the file appears with its start, and grows a moment later (the sample, in pieces). */
    private void write(Path file) {
        try {
            byte[] sample = Files.readAllBytes(sampleRecording);
            int head = Math.min(sample.length, 4096);
            Files.write(file, java.util.Arrays.copyOf(sample, head));
            Path growing = file;
            int pieces = 6;
            AtomicInteger written = new AtomicInteger();
            vertx.setPeriodic(400, 250, t -> {
                int piece = written.incrementAndGet();
                int from = head + (sample.length - head) * (piece - 1) / pieces;
                int to = head + (sample.length - head) * piece / pieces;
                try {
                    Files.write(growing, java.util.Arrays.copyOfRange(sample, from, to), java.nio.file.StandardOpenOption.APPEND);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                if (piece == pieces) {
                    vertx.cancelTimer(t);
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private ObjectNode recordState(String state, String path) {
        ObjectNode data = JSON.createObjectNode().put("outputActive", state.endsWith("STARTED")).put("outputState", state);
        if (path != null) {
            data.put("outputPath", path);
        } else {
            data.putNull("outputPath");
        }
        return data;
    }

    /** InputVolumeMeters every 50 ms to each connection that subscribed to them. */
    private void updateMeters(ServerWebSocket ws, int subscriptions) {
        boolean wanted = (subscriptions & (1 << 16)) != 0;
        Long timer = metersTimers.get(ws);
        if (wanted && timer == null) {
            AtomicInteger tick = new AtomicInteger();
            metersTimers.put(ws, vertx.setPeriodic(50, t -> {
                double level = 0.2 + 0.1 * (tick.incrementAndGet() % 3);
                ObjectNode data = JSON.createObjectNode();
                data.putArray("inputs").addObject().put("inputName", "Camera").putArray("inputLevelsMul")
                        .addArray().add(level).add(level + 0.1).add(level + 0.1);
                event(ws, "InputVolumeMeters", data);
            }));
        } else if (!wanted && timer != null) {
            vertx.cancelTimer(metersTimers.remove(ws));
        }
    }

    private void respond(ServerWebSocket ws, String type, String id, boolean ok, int code, String comment, JsonNode data) {
        ObjectNode msg = JSON.createObjectNode().put("op", 7);
        ObjectNode d = msg.putObject("d").put("requestType", type).put("requestId", id);
        ObjectNode status = d.putObject("requestStatus").put("result", ok).put("code", code);
        if (comment != null) {
            status.put("comment", comment);
        }
        if (data != null) {
            d.set("responseData", data);
        }
        ws.writeTextMessage(msg.toString());
    }

    private void event(ServerWebSocket ws, String type, JsonNode data) {
        ObjectNode msg = JSON.createObjectNode().put("op", 5);
        msg.putObject("d").put("eventType", type).put("eventIntent", 1).set("eventData", data);
        ws.writeTextMessage(msg.toString());
    }

    @Override
    public void close() {
        try {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
