package de.scheincam.ffmpeg;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class MediaInfoTest {

    @Test
    void readsDurationPictureAndStreamsFromFfprobeJson() {
        MediaInfo info = MediaInfo.parse(new ObjectMapper(), """
                {"streams":[{"codec_type":"video","codec_name":"h264","width":1280,"height":720,"avg_frame_rate":"30000/1001"},
                            {"codec_type":"audio","codec_name":"aac"}],
                 "format":{"duration":"3600.0421"}}""");
        assertThat(info.duration()).isEqualTo(3600.042);
        assertThat(info.width()).isEqualTo(1280);
        assertThat(info.height()).isEqualTo(720);
        assertThat(info.fps()).isEqualTo(29.97);
        assertThat(info.codecs()).containsExactly("video:h264", "audio:aac");
        assertThat(info.hasVideo()).isTrue();
    }

    @Test
    void aFileWithoutDurationStaysUnknown() {
        MediaInfo info = MediaInfo.parse(new ObjectMapper(), "{\"streams\":[],\"format\":{\"duration\":\"N/A\"}}");
        assertThat(info.duration()).isNull();
        assertThat(info.hasVideo()).isFalse();
    }
}
