import { Injectable, inject } from '@angular/core';
import { MatSnackBar } from '@angular/material/snack-bar';

/** Short confirmations and errors in a polite live region (Material's snack bar). */
@Injectable({ providedIn: 'root' })
export class Toasts {
  private readonly snackBar = inject(MatSnackBar);

  success(message: string): void {
    this.snackBar.open(message, 'Close', { duration: 5000, panelClass: 'toast-success', politeness: 'polite' });
  }

  error(message: string): void {
    this.snackBar.open(message, 'Close', { duration: 8000, panelClass: 'toast-error', politeness: 'assertive' });
  }
}
