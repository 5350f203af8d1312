package dev.forger.service.imaging;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class GridComposerTest {
    @Test
    void sixtyFourTilesMakeAnEightByEightMosaic() {
        ImageShape tile = new ImageShape(1, 32, 32);
        ImageBatch batch = TestImages.onPixelGrid(tile, 64, 5);
        ImageBatch grid = GridComposer.compose(batch, 2);
        assertThat(grid.count()).isEqualTo(1);
        assertThat(grid.shape()).isEqualTo(new ImageShape(1, 8 * 32 + 9 * 2, 8 * 32 + 9 * 2));
        int width = grid.shape().width();
        // tile 9 is row 1, column 1: its top-left pixel sits after one tile and two gaps each way
        int top = 2 + 32 + 2;
        assertThat(grid.data()[top * width + top]).isEqualTo(batch.image(9)[0]);
        assertThat(grid.data()[(top + 31) * width + top + 31]).isEqualTo(batch.image(9)[32 * 32 - 1]);
        assertThat(grid.data()[0]).as("border").isEqualTo(-1f);
    }

    @Test
    void fiveTilesUseThreeColumnsAndTwoRows() {
        ImageBatch grid = GridComposer.compose(TestImages.onPixelGrid(new ImageShape(3, 4, 4), 5, 1), 1);
        assertThat(grid.shape()).isEqualTo(new ImageShape(3, 2 * 4 + 3, 3 * 4 + 4));
    }
}
