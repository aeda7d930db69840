package io.pathsec.ui.pmtu;

import javafx.beans.binding.Bindings;
import javafx.collections.ListChangeListener;
import javafx.fxml.FXML;
import javafx.scene.chart.LineChart;
import javafx.scene.control.Label;
import javafx.scene.layout.VBox;


/** Binds the Path MTU view: one chart series per SA, or the "no data yet" sentence. */
public final class PmtuController {
    private final PmtuViewModel model;
    private final PmtuSettingsViewModel settings;

    @FXML
    private Label banner;
    @FXML
    private Label latest;
    @FXML
    private LineChart<Number, Number> pmtuChart;
    @FXML
    private VBox emptyState;
    @FXML
    private javafx.scene.layout.HBox sourceLegend;

    @FXML
    private VBox methodBoxes;
    @FXML
    private javafx.scene.control.TextField floorField;
    @FXML
    private Label floorError;
    @FXML
    private Label settingsMessage;
    @FXML
    private javafx.scene.control.TextField fixedMtuField;
    @FXML
    private Label fixedMtuError;
    @FXML
    private javafx.scene.control.TextField raiseTimerField;
    @FXML
    private Label raiseTimerError;
    @FXML
    private javafx.scene.control.TextField probeTimerField;
    @FXML
    private Label probeTimerError;
    @FXML
    private javafx.scene.control.ChoiceBox<io.pathsec.engine.control.api.OuterDfBit> outerDfChoice;
    @FXML
    private Label outerDfHint;

    public PmtuController(PmtuViewModel model, PmtuSettingsViewModel settings) {
        this.model = model;
        this.settings = settings;
    }

    @FXML
    private void initialize() {
        banner.textProperty().bind(model.bannerProperty());
        var hasBanner = Bindings.isNotEmpty(model.bannerProperty());
        banner.visibleProperty().bind(hasBanner);
        banner.managedProperty().bind(hasBanner);
        latest.textProperty().bind(model.latestProperty());
        // Without data the empty-state box says it; the line would only repeat it.
        latest.visibleProperty().bind(model.hasDataBinding());
        latest.managedProperty().bind(model.hasDataBinding());
        pmtuChart.visibleProperty().bind(model.hasDataBinding());
        emptyState.visibleProperty().bind(model.hasDataBinding().not());
        pmtuChart.setAnimated(false);
        for (PmtuChartPoints.Marker m : PmtuChartPoints.Marker.values()) {
            sourceLegend.getChildren().add(new Label(m.words, m.symbol()));
        }
        model.samples().addListener((ListChangeListener<PmtuSample>) c -> redraw());
        redraw();

        for (io.pathsec.engine.control.api.PmtuMethod m : io.pathsec.engine.control.api.PmtuMethod.values()) {
            javafx.scene.control.CheckBox box = new javafx.scene.control.CheckBox(PmtuSettingsViewModel.describe(m));
            box.setId("pmtu-method-" + m.name().toLowerCase().replace('_', '-'));
            box.setMinWidth(javafx.scene.layout.Region.USE_PREF_SIZE); // the whole sentence, never "…"
            box.selectedProperty().bindBidirectional(settings.methodProperty(m));
            methodBoxes.getChildren().add(box);
        }
        bind(floorField, floorError, settings.floor);
        bind(fixedMtuField, fixedMtuError, settings.fixedMtu);
        bind(raiseTimerField, raiseTimerError, settings.raiseTimer);
        bind(probeTimerField, probeTimerError, settings.probeTimer);
        outerDfChoice.setItems(javafx.collections.FXCollections.observableArrayList(
                io.pathsec.engine.control.api.OuterDfBit.values()));
        outerDfChoice.setConverter(new javafx.util.StringConverter<>() {
            @Override
            public String toString(io.pathsec.engine.control.api.OuterDfBit df) {
                return df == null ? "" : df.name().toLowerCase();
            }

            @Override
            public io.pathsec.engine.control.api.OuterDfBit fromString(String s) {
                return io.pathsec.engine.control.api.OuterDfBit.valueOf(s.toUpperCase());
            }
        });
        outerDfChoice.valueProperty().bindBidirectional(settings.outerDfProperty());
        outerDfHint.textProperty().bind(Bindings.createStringBinding(() -> settings.outerDfProperty().get() == null
                ? "" : PmtuSettingsViewModel.describe(settings.outerDfProperty().get()), settings.outerDfProperty()));
        settingsMessage.textProperty().bind(settings.messageProperty());
        settings.load();
    }

    private static void bind(javafx.scene.control.TextField input, Label error,
                             io.pathsec.ui.profiles.FormField field) {
        input.textProperty().bindBidirectional(field.valueProperty());
        error.textProperty().bind(field.errorProperty());
    }

    @FXML
    private void applySettings() {
        settings.apply();
    }

    private void redraw() {
        pmtuChart.getData().setAll(PmtuChartPoints.series(model.samples()));
    }
}
